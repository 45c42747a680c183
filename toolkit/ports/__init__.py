"""Ports: the shapes that services and adapters share (the workbook seam ``Book`` and what it carries).

Services may import them to state what they need; adapters import them to provide it; neither layer
imports the other for them. Ports import only the domain.
"""
