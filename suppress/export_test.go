package suppress

// Late reports how many blocks left a sample out before the detector had
// decided about it (see Suppressor.late).
func (s *Suppressor) Late() int64 { return s.late }
