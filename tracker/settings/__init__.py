"""Settings split by environment: ``base`` holds everything, read from the environment through one
django-environ ``env``; ``local``, ``production`` and ``test`` only change what differs."""
