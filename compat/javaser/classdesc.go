package javaser

import "fmt"

// classDesc reads a class descriptor position: new descriptor, proxy,
// null or reference to a descriptor.
func (d *decoder) classDesc(depth int) (*ClassDesc, error) {
	if depth > d.lim.MaxDepth {
		return nil, fmt.Errorf("%w: nesting deeper than %d", ErrLimit, d.lim.MaxDepth)
	}
	tc, err := d.u8()
	if err != nil {
		return nil, err
	}
	switch tc {
	case TCNull:
		return nil, nil
	case TCClassDesc:
		return d.newClassDesc(depth)
	case TCProxyClassDesc:
		return d.newProxyClassDesc(depth)
	case TCReference:
		v, err := d.reference()
		if err != nil {
			return nil, err
		}
		cd, ok := v.(*ClassDesc)
		if !ok {
			return nil, d.malformed("reference to %s where a class descriptor was expected", describe(v))
		}
		return cd, nil
	default:
		d.off--
		return nil, d.malformed("type code %#x where a class descriptor was expected", tc)
	}
}

func (d *decoder) newClassDesc(depth int) (*ClassDesc, error) {
	name, err := d.utf()
	if err != nil {
		return nil, err
	}
	suid, err := d.u64()
	if err != nil {
		return nil, err
	}
	cd := &ClassDesc{Name: name, SUID: int64(suid)}
	if err := d.newHandle(cd); err != nil {
		return nil, err
	}
	if cd.Flags, err = d.u8(); err != nil {
		return nil, err
	}
	if cd.Flags&SCSerializable != 0 && cd.Flags&SCExternalizable != 0 {
		return nil, d.malformed("class %s is both serializable and externalizable", name)
	}
	n, err := d.u16()
	if err != nil {
		return nil, err
	}
	if int(n)*3 > len(d.b)-d.off {
		return nil, d.malformed("class %s declares %d fields, only %d bytes left", name, n, len(d.b)-d.off)
	}
	if cd.Flags&SCEnum != 0 && n != 0 {
		return nil, d.malformed("enum class %s declares %d fields", name, n)
	}
	if err := d.charge(int(n)); err != nil {
		return nil, err
	}
	cd.Fields = make([]FieldDesc, 0, n)
	for range n {
		var f FieldDesc
		if f.Type, err = d.u8(); err != nil {
			return nil, err
		}
		if f.Name, err = d.utf(); err != nil {
			return nil, err
		}
		switch f.Type {
		case 'B', 'C', 'D', 'F', 'I', 'J', 'S', 'Z':
		case 'L', '[':
			if f.ClassName, err = d.stringContent(); err != nil {
				return nil, err
			}
			if f.ClassName == "" || f.ClassName[0] != f.Type {
				return nil, d.malformed("field %s.%s has type %q", name, f.Name, f.ClassName)
			}
		default:
			return nil, d.malformed("field %s.%s has unknown type code %#x", name, f.Name, f.Type)
		}
		cd.Fields = append(cd.Fields, f)
	}
	if cd.Annotations, err = d.annotation(depth); err != nil {
		return nil, err
	}
	if cd.Super, err = d.classDesc(depth + 1); err != nil {
		return nil, err
	}
	return cd, d.checkChain(cd)
}

func (d *decoder) newProxyClassDesc(depth int) (*ClassDesc, error) {
	cd := &ClassDesc{Proxy: true, Flags: SCSerializable}
	if err := d.newHandle(cd); err != nil {
		return nil, err
	}
	n, err := d.u32()
	if err != nil {
		return nil, err
	}
	if int64(n)*2 > int64(len(d.b)-d.off) {
		return nil, d.malformed("proxy declares %d interfaces, only %d bytes left", n, len(d.b)-d.off)
	}
	if err := d.charge(int(n)); err != nil {
		return nil, err
	}
	for range n {
		s, err := d.utf()
		if err != nil {
			return nil, err
		}
		cd.Interfaces = append(cd.Interfaces, s)
	}
	if cd.Annotations, err = d.annotation(depth); err != nil {
		return nil, err
	}
	if cd.Super, err = d.classDesc(depth + 1); err != nil {
		return nil, err
	}
	return cd, d.checkChain(cd)
}

// checkChain refuses superclass cycles (possible through references) and
// chains deeper than the depth limit.
func (d *decoder) checkChain(cd *ClassDesc) error {
	n := 0
	for c := cd.Super; c != nil; c = c.Super {
		if c == cd {
			return d.malformed("class %s is its own superclass", cd)
		}
		if n++; n > d.lim.MaxDepth {
			return fmt.Errorf("%w: superclass chain of %s longer than %d (or cyclic)", ErrLimit, cd, d.lim.MaxDepth)
		}
	}
	return nil
}

// blockData reads one TC_BLOCKDATA or TC_BLOCKDATALONG segment.
func (d *decoder) blockData() (BlockData, error) {
	tc, err := d.u8()
	if err != nil {
		return nil, err
	}
	var n int
	if tc == TCBlockData {
		v, err := d.u8()
		if err != nil {
			return nil, err
		}
		n = int(v)
	} else {
		v, err := d.u32()
		if err != nil {
			return nil, err
		}
		if int32(v) < 0 {
			return nil, d.malformed("negative block data length %d", int32(v))
		}
		n = int(v)
	}
	p, err := d.take(n)
	if err != nil {
		return nil, err
	}
	return BlockData(p), nil
}

// annotation reads block data and values up to TC_ENDBLOCKDATA.
func (d *decoder) annotation(depth int) ([]any, error) {
	var out []any
	for {
		tc, err := d.peek()
		if err != nil {
			return nil, err
		}
		switch tc {
		case TCEndBlockData:
			d.off++
			return out, nil
		case TCBlockData, TCBlockDataLong:
			bd, err := d.blockData()
			if err != nil {
				return nil, err
			}
			out = append(out, bd)
		default:
			v, err := d.content(depth + 1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		if err := d.charge(1); err != nil {
			return nil, err
		}
	}
}
