"""F*: ``fstar.exe FILE`` one-shot checks and warm ``fstar.exe --ide`` sessions behind the one ``Verifier``.

``interface.py`` holds the IDE protocol's messages, ``ide.py`` one IDE process,
``session.py`` the warm push/pop session, ``messages.py`` the one-shot output,
``audit.py`` the audit as verdict facts, ``config.py`` the settings and
``backend.py`` the verifier.
"""
