// Tests for the CheckpointedAD module land here.
