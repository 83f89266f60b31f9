"""What every app shares and no app owns: the edit-conflict convention and text diffs.

`core` sits below `statutes`: it may import Django and libraries, never an app of the
project (accounts, statutes, assessments, reportcards). It is not an installed app: it
has no models, templates or migrations.
"""
