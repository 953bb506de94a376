"""Files the app writes and reads: atomic writes (:mod:`.atomic`) and checkpoints, untrusted when opened
(:mod:`.checkpoints`)."""
