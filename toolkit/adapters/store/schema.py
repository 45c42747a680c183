"""The store's tables, its schema version and the one ordered list of migrations that bring an older store up to
date (applied by ``Store.open``, one version at a time, each in one transaction)."""

SCHEMA_VERSION = 8

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE submissions (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL,           -- one file may be received for two periods (last period's, sent again)
    file_name TEXT NOT NULL,
    county TEXT NOT NULL,
    period TEXT NOT NULL,
    received_at TEXT NOT NULL,      -- when the store first saw the file
    file_mtime TEXT NOT NULL,       -- the file's modification time then
    status TEXT NOT NULL,           -- received | accepted | rejected | superseded
    superseded_by INTEGER REFERENCES submissions(id),
    status_note TEXT NOT NULL DEFAULT '',
    saved_at TEXT NOT NULL DEFAULT '',  -- when the workbook says it was last saved (docProps), '' if it does not
    UNIQUE (sha256, period)
);
CREATE INDEX submissions_by_period ON submissions(period, county);
CREATE TABLE choices (               -- the city's choice of one county's file for a period, over the usual rule
    period TEXT NOT NULL, county TEXT NOT NULL, sha256 TEXT NOT NULL, decided_at TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '', PRIMARY KEY (period, county)
);
CREATE TABLE sent_back (             -- the results workbook written for a submission (never written over)
    submission_id INTEGER PRIMARY KEY REFERENCES submissions(id), file TEXT NOT NULL, written_at TEXT NOT NULL
);
CREATE TABLE findings (
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    origin TEXT NOT NULL,           -- file: the workbook's own checks, cross: against other files
    code TEXT NOT NULL, level TEXT NOT NULL, sheet TEXT NOT NULL, row INTEGER, column_name TEXT NOT NULL,
    cell TEXT NOT NULL, value TEXT NOT NULL, message TEXT NOT NULL, explained INTEGER NOT NULL,
    advisory INTEGER NOT NULL
);
CREATE INDEX findings_by_submission ON findings(submission_id, origin);
CREATE TABLE rows (
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    sheet_key TEXT NOT NULL,        -- entries | exits | pool | at_risk | ledger
    sheet TEXT NOT NULL,
    row INTEGER NOT NULL,           -- 1-based worksheet row in the county file
    uscc TEXT NOT NULL,
    name TEXT NOT NULL,
    data TEXT NOT NULL              -- the row's typed values as JSON
);
CREATE INDEX rows_by_submission ON rows(submission_id, sheet_key);
CREATE TABLE attributions (         -- 待认定: the city's decision on a firm claimed by two counties
    uscc TEXT NOT NULL, year INTEGER NOT NULL, county TEXT NOT NULL, decided_at TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '', PRIMARY KEY (uscc, year)
);
CREATE TABLE starting_register (    -- the statistics office's list at the plan's start (imported in #4)
    uscc TEXT PRIMARY KEY, name TEXT NOT NULL, county TEXT NOT NULL, source TEXT NOT NULL
);
CREATE TABLE register (             -- derived from the accepted lists after every run
    uscc TEXT NOT NULL, name TEXT NOT NULL, county TEXT NOT NULL, entry_period TEXT NOT NULL,
    entry_kind TEXT NOT NULL, entry_source TEXT NOT NULL, exit_period TEXT NOT NULL, exit_reason TEXT NOT NULL,
    exit_source TEXT NOT NULL
);
CREATE INDEX register_by_uscc ON register(uscc);
CREATE TABLE confirmed (            -- the statistics office's confirmed entries and exits, year to date
    period TEXT NOT NULL, uscc TEXT NOT NULL, name TEXT NOT NULL, county TEXT NOT NULL,
    change TEXT NOT NULL, month TEXT NOT NULL, source TEXT NOT NULL, kind TEXT NOT NULL DEFAULT ''
);
CREATE INDEX confirmed_by_period ON confirmed(period);
CREATE TABLE doc_numbers (          -- 发文字号 allocated by the tool (--number): never twice
    prefix TEXT NOT NULL, year INTEGER NOT NULL, number INTEGER NOT NULL, doc_type TEXT NOT NULL,
    period TEXT NOT NULL, assigned_at TEXT NOT NULL,
    UNIQUE (prefix, year, number), UNIQUE (doc_type, period)
);
CREATE TABLE closures (             -- 封账: periods whose figures were issued and must not change
    period TEXT PRIMARY KEY, closed_at TEXT NOT NULL, reason TEXT NOT NULL,
    policy_sha256 TEXT NOT NULL,        -- the policy workbook in force then (kept in the archive)
    attributions TEXT NOT NULL          -- the attribution decisions in force then, as JSON
);
CREATE TABLE taxes (                -- the tax office's tax formed in a year, per USCC (万元, exact text)
    year INTEGER NOT NULL, uscc TEXT NOT NULL, name TEXT NOT NULL, tax_wan TEXT NOT NULL, source TEXT NOT NULL,
    PRIMARY KEY (year, uscc)
);
CREATE TABLE reward_batches (       -- 奖励资金批次: approved together, paid together
    id INTEGER PRIMARY KEY, year INTEGER NOT NULL, seq INTEGER NOT NULL, approved_at TEXT NOT NULL,
    policy_sha256 TEXT NOT NULL, total INTEGER NOT NULL,
    paid_at TEXT NOT NULL DEFAULT '', paid_on TEXT NOT NULL DEFAULT '', paid_note TEXT NOT NULL DEFAULT '',
    exclusions TEXT NOT NULL,       -- JSON: who was not paid in this batch and why
    mismatches TEXT NOT NULL,       -- JSON: differences with the statistics and tax offices' figures
    UNIQUE (year, seq)
);
CREATE TABLE reward_lines (         -- the ledger: one tranche of one enterprise, never twice
    batch_id INTEGER NOT NULL REFERENCES reward_batches(id),
    uscc TEXT NOT NULL, name TEXT NOT NULL, county TEXT NOT NULL, kind TEXT NOT NULL,
    entry_year INTEGER NOT NULL, entry_month TEXT NOT NULL, tranche INTEGER NOT NULL,
    amount INTEGER NOT NULL, city_amount INTEGER NOT NULL, payable INTEGER NOT NULL,
    city_standard INTEGER NOT NULL, county_standard INTEGER NOT NULL, rule TEXT NOT NULL, source TEXT NOT NULL,
    tax_wan TEXT NOT NULL, second INTEGER NOT NULL, second_city INTEGER NOT NULL,
    UNIQUE (uscc, entry_year, tranche)
);
CREATE TABLE department_files (   -- 应入尽入: each department file imported (税务, 市场监管, 电力), once
    id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL UNIQUE, file_name TEXT NOT NULL, kind TEXT NOT NULL,
    sheets TEXT NOT NULL, encoding TEXT NOT NULL, unit TEXT NOT NULL, unit_from TEXT NOT NULL,
    columns TEXT NOT NULL,          -- JSON: which column of the file was taken for what
    first_month TEXT NOT NULL, last_month TEXT NOT NULL, rows INTEGER NOT NULL, imported_at TEXT NOT NULL
);
CREATE TABLE department_tax (       -- the tax office's declared sales, one taxpayer-month a row (万元, exact text)
    file_id INTEGER NOT NULL REFERENCES department_files(id), uscc TEXT NOT NULL, name TEXT NOT NULL,
    month TEXT NOT NULL, sales_wan TEXT NOT NULL, industry TEXT NOT NULL, status TEXT NOT NULL, row INTEGER NOT NULL
);
CREATE INDEX department_tax_by_uscc ON department_tax(uscc, month);
CREATE TABLE department_registration (  -- the market-registration extract, one firm a row
    file_id INTEGER NOT NULL REFERENCES department_files(id), uscc TEXT NOT NULL, name TEXT NOT NULL,
    established TEXT NOT NULL, status TEXT NOT NULL, address TEXT NOT NULL, authority TEXT NOT NULL,
    scope TEXT NOT NULL, row INTEGER NOT NULL
);
CREATE INDEX department_registration_by_uscc ON department_registration(uscc);
CREATE TABLE department_power (     -- the power company's monthly use, one account-month a row (kWh, exact text)
    file_id INTEGER NOT NULL REFERENCES department_files(id), account TEXT NOT NULL, name TEXT NOT NULL,
    uscc TEXT NOT NULL, month TEXT NOT NULL, kwh TEXT NOT NULL, row INTEGER NOT NULL
);
CREATE INDEX department_power_by_account ON department_power(account, month);
CREATE TABLE screen_runs (          -- 应入尽入: each guishang screen run's latest list for a period (derived: replayed)
    period TEXT PRIMARY KEY, run_at TEXT NOT NULL, month TEXT NOT NULL, listed INTEGER NOT NULL
);
CREATE TABLE screen_candidates (    -- the firms that run listed, each under its county ('' = the city decides)
    period TEXT NOT NULL, uscc TEXT NOT NULL, name TEXT NOT NULL, county TEXT NOT NULL, kind TEXT NOT NULL,
    reason TEXT NOT NULL, flags TEXT NOT NULL
);
CREATE INDEX screen_candidates_by_period ON screen_candidates(period, county);
-- a department file's rows kept columnar beside the store (数据库/部门数据/<sha256>.parquet: a province's extract is
-- millions of rows, which SQLite takes and gives back a hundred times slower), the copy's SHA-256 journalled here:
-- '' for a file whose rows are in the department_* tables above (imported before version 8)
ALTER TABLE department_files ADD COLUMN rows_file TEXT NOT NULL DEFAULT '';
ALTER TABLE department_files ADD COLUMN rows_sha256 TEXT NOT NULL DEFAULT '';
"""

_DEPARTMENT_AT = SCHEMA.index("CREATE TABLE department_files")
_REWARD_TABLES = SCHEMA[SCHEMA.index("CREATE TABLE taxes"):_DEPARTMENT_AT]
_SCREEN_AT = SCHEMA.index("CREATE TABLE screen_runs")
_DEPARTMENT_TABLES = SCHEMA[_DEPARTMENT_AT:_SCREEN_AT]
_ROWS_FILES_AT = SCHEMA.index("-- a department file's rows kept columnar")
_SCREEN_TABLES = SCHEMA[_SCREEN_AT:_ROWS_FILES_AT]
_ROWS_FILES = SCHEMA[_ROWS_FILES_AT:]

# schema version -> statements that bring a store of that version to the next one
MIGRATIONS = {
    1: ["CREATE TABLE closures (period TEXT PRIMARY KEY, closed_at TEXT NOT NULL, reason TEXT NOT NULL, "
        "policy_sha256 TEXT NOT NULL, attributions TEXT NOT NULL)",
        "CREATE TABLE confirmed (period TEXT NOT NULL, uscc TEXT NOT NULL, name TEXT NOT NULL, county TEXT NOT NULL, "
        "change TEXT NOT NULL, month TEXT NOT NULL, source TEXT NOT NULL)",
        "CREATE INDEX confirmed_by_period ON confirmed(period)",
        "CREATE TABLE doc_numbers (prefix TEXT NOT NULL, year INTEGER NOT NULL, number INTEGER NOT NULL, "
        "doc_type TEXT NOT NULL, period TEXT NOT NULL, assigned_at TEXT NOT NULL, UNIQUE (prefix, year, number), "
        "UNIQUE (doc_type, period))"],
    2: ["ALTER TABLE confirmed ADD COLUMN kind TEXT NOT NULL DEFAULT ''",
        *[statement for statement in _REWARD_TABLES.split(";") if statement.strip()]],
    # a submission is unique by (file, period), no longer by file: the table is rebuilt (SQLite cannot drop a
    # constraint), with foreign keys off around it as SQLite prescribes (see _migrate)
    3: ["CREATE TABLE submissions_v4 (id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL, file_name TEXT NOT NULL, "
        "county TEXT NOT NULL, period TEXT NOT NULL, received_at TEXT NOT NULL, file_mtime TEXT NOT NULL, "
        "status TEXT NOT NULL, superseded_by INTEGER REFERENCES submissions(id), status_note TEXT NOT NULL DEFAULT '', "
        "saved_at TEXT NOT NULL DEFAULT '', UNIQUE (sha256, period))",
        "INSERT INTO submissions_v4 (id, sha256, file_name, county, period, received_at, file_mtime, status, "
        "superseded_by, status_note) SELECT id, sha256, file_name, county, period, received_at, file_mtime, status, "
        "superseded_by, status_note FROM submissions",
        "DROP TABLE submissions",
        "ALTER TABLE submissions_v4 RENAME TO submissions",
        "CREATE INDEX submissions_by_period ON submissions(period, county)",
        "CREATE TABLE choices (period TEXT NOT NULL, county TEXT NOT NULL, sha256 TEXT NOT NULL, decided_at TEXT NOT NULL, "
        "note TEXT NOT NULL DEFAULT '', PRIMARY KEY (period, county))"],
    # which results workbook went back for which submission: results are numbered, never written over
    4: ["CREATE TABLE sent_back (submission_id INTEGER PRIMARY KEY REFERENCES submissions(id), file TEXT NOT NULL, "
        "written_at TEXT NOT NULL)"],
    # 应入尽入: the departments' files (tax, market registration, power) and their rows
    5: [statement for statement in _DEPARTMENT_TABLES.split(";") if statement.strip()],
    # 应入尽入: what each screen run listed, for the prefilled follow-up sheet and the funnel
    6: [statement for statement in _SCREEN_TABLES.split(";") if statement.strip()],
    # 应入尽入: a department file's rows in a columnar file beside the store, its SHA-256 journalled
    7: [statement for statement in _ROWS_FILES.split(";") if statement.strip()],
}
REBUILDS_TABLES = {3}  # migrations that rebuild a table others refer to
