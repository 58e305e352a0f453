"""Messages that flow up from panes to the case screen, which saves through the repository,
and from the case list to the app: one module each, imported from it (``from
.messages.case_opened import CaseOpened``), so a screen loads only the messages it posts or
handles (the case list's first frame: ``case_opened``).

Named in the past tense: each says what the person did; the screen decides what it means.
"""
