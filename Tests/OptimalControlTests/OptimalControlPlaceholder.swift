// Tests for the OptimalControl module land here.
