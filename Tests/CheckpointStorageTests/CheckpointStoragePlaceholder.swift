// Tests for the CheckpointStorage module land here.
