// Tests for the AdjointODE module land here.
