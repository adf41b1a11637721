package topology

// InvalidError is a topology rejected at submission. Nimbus turns it into
// stormthrift.InvalidTopologyException{Msg: Msg}; Msg is Storm's message text.
type InvalidError struct{ Msg string }

func (e *InvalidError) Error() string { return e.Msg }

func invalid(msg string) error { return &InvalidError{Msg: msg} }
