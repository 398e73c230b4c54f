// Tests for the ScheduleInspector module land here.
