"""Preceptor: mentors, letters of recommendation and residency program lists."""
