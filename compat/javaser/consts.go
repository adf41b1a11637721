package javaser

// Stream constants of java.io.ObjectStreamConstants.
const (
	StreamMagic   = 0xACED
	StreamVersion = 5

	TCNull           = 0x70
	TCReference      = 0x71
	TCClassDesc      = 0x72
	TCObject         = 0x73
	TCString         = 0x74
	TCArray          = 0x75
	TCClass          = 0x76
	TCBlockData      = 0x77
	TCEndBlockData   = 0x78
	TCReset          = 0x79
	TCBlockDataLong  = 0x7A
	TCException      = 0x7B
	TCLongString     = 0x7C
	TCProxyClassDesc = 0x7D
	TCEnum           = 0x7E

	// BaseWireHandle is the first handle a stream assigns.
	BaseWireHandle = 0x7E0000

	SCWriteMethod    = 0x01
	SCSerializable   = 0x02
	SCExternalizable = 0x04
	SCBlockData      = 0x08
	SCEnum           = 0x10
)
