"""The bottom layer: lessonkit's one error type and safe file writing, used by every layer."""
