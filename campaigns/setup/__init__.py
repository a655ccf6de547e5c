"""Setting up a plan's year on the portal's own pages, as the office (issue 17, item 2).

A new ward starts from an empty database with only the plan: units, accounts, who reports which data
element, the quarters' deadlines, the pledge window and the council are set here, not in a Python shell
nor in the admin. `checklist.py` reads what is done, `services.py` writes (atomic, audited, with a
version check where two people could edit the same thing), `views.py` stays thin.
"""
