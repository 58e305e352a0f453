"""Files on disk: replica storage, the case repository, local paths."""
