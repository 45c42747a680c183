"""A double claim settled the ordinary way (#18): in 2022-06 株洲经开区 and 天元区 both report one firm (待认定);
in 2022-12 株洲经开区 drops it from its year-to-date list while 天元区 keeps it. That is a settlement, not a firm
that vanished: 株洲经开区 is accepted (W212 recorded for the city, no E205), the firm counts for 天元区 and is
no longer pending."""

from __future__ import annotations

from county_files import entry, firm, write_report
from toolkit.cli import main
from toolkit.domain.periods import Period
from toolkit.services.consolidation import status
from toolkit.services.workspace import Workspace


def test_dropping_a_disputed_firm_settles_the_claim(tmp_path, policy, capsys):
    root = tmp_path / "工作区"
    assert main(["init", str(root)]) == 0
    inbox = root / "收件箱"
    shared = firm(policy, "天元区", 90)
    tianyuan = [entry(firm(policy, "天元区", n), "2022-03") for n in range(3)]
    zone = [entry(firm(policy, "株洲经开区", n), "2022-04") for n in range(2)]
    write_report(inbox, policy, "天元区", "2022-06", [*tianyuan, entry(shared, "2022-05")])
    write_report(inbox, policy, "株洲经开区", "2022-06", [*zone, entry(shared, "2022-05")])
    main(["consolidate", "--workspace", str(root), "--period", "2022-06"])
    june = status(Workspace.at(root), Period(2022, 6))
    assert [c.uscc for c in june.pending] == [shared]

    write_report(inbox, policy, "天元区", "2022-12", [*tianyuan, entry(shared, "2022-05")])
    write_report(inbox, policy, "株洲经开区", "2022-12", zone)  # the zone drops the shared firm: settled
    capsys.readouterr()
    main(["consolidate", "--workspace", str(root), "--period", "2022-12"])
    december = status(Workspace.at(root), Period(2022, 12))
    states = {s.county: s.status for s in december.statuses}
    assert states["株洲经开区"] == states["天元区"] == "已受理"
    zone_findings = [f for f in december.findings if f.file.startswith("株洲经开区")]
    assert "E205" not in {f.code for f in zone_findings}
    (settled,) = [f for f in zone_findings if f.code == "W212"]
    assert shared in settled.message and "天元区" in settled.message and not settled.blocking
    assert december.pending == []
    counted = {f.county: f.new for f in december.counties}
    assert counted["天元区"] == 4 and counted["株洲经开区"] == 2
