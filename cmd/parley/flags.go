package main

import (
	"errors"
	"flag"
	"fmt"
	"strconv"
	"time"
)

// Flag values whose errors name the form wanted: the flag package's own say
// only "parse error", which leaves a person guessing between "3", "3s" and
// "3 seconds".
type (
	durationValue time.Duration
	boolValue     bool
	intValue      int
	floatValue    float64
)

func (d *durationValue) Set(s string) error {
	v, err := time.ParseDuration(s)
	if err != nil {
		return errors.New(`want a duration such as "3s", "500ms" or "1m30s"`)
	}
	*d = durationValue(v)
	return nil
}

func (d *durationValue) String() string { return time.Duration(*d).String() }

func (b *boolValue) Set(s string) error {
	v, err := strconv.ParseBool(s)
	if err != nil {
		return errors.New("want true or false")
	}
	*b = boolValue(v)
	return nil
}

func (b *boolValue) String() string   { return strconv.FormatBool(bool(*b)) }
func (b *boolValue) IsBoolFlag() bool { return true }

func (i *intValue) Set(s string) error {
	v, err := strconv.Atoi(s)
	if err != nil {
		return errors.New(`want a whole number such as "6"`)
	}
	*i = intValue(v)
	return nil
}

func (i *intValue) String() string { return strconv.Itoa(int(*i)) }

func (f *floatValue) Set(s string) error {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return errors.New(`want a number such as "0.9"`)
	}
	*f = floatValue(v)
	return nil
}

func (f *floatValue) String() string { return strconv.FormatFloat(float64(*f), 'g', -1, 64) }

// DurationVar, BoolVar, IntVar and Float64 define flags as the flag package's methods
// of the same names do, with the errors above.
func (f *flagSet) DurationVar(p *time.Duration, name string, value time.Duration, usage string) {
	*p = value
	f.Var((*durationValue)(p), name, usage)
}

func (f *flagSet) BoolVar(p *bool, name string, value bool, usage string) {
	*p = value
	f.Var((*boolValue)(p), name, usage)
}

func (f *flagSet) Bool(name string, value bool, usage string) *bool {
	p := new(bool)
	f.BoolVar(p, name, value, usage)
	return p
}

func (f *flagSet) IntVar(p *int, name string, value int, usage string) {
	*p = value
	f.Var((*intValue)(p), name, usage)
}

func (f *flagSet) Int(name string, value int, usage string) *int {
	p := new(int)
	f.IntVar(p, name, value, usage)
	return p
}

func (f *flagSet) Float64(name string, value float64, usage string) *float64 {
	p := new(float64)
	*p = value
	f.Var((*floatValue)(p), name, usage)
	return p
}

// parseInterspersed parses flags anywhere among the arguments
// (`parley eval FILE --min 1.0`, `parley stats LOG --top 3`), then gives
// each flag not on the command line its variable's value. "--" ends the
// flags: what follows is arguments, even when it starts with "-".
func parseInterspersed(fs *flagSet, args []string) error {
	var positional []string
	for {
		if err := parseFlags(fs, args); err != nil {
			return err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			positional = append(positional, rest...)
			break
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
	// Parse again with only the arguments, so that fs.Args() is them; the
	// flags already set stay set (Parse only sets what it sees).
	if err := fs.FlagSet.Parse(append([]string{"--"}, positional...)); err != nil {
		return &usageError{err.Error()}
	}
	return applyEnv(fs)
}

// parseFlags parses args with the flag package, as a usage error.
func parseFlags(fs *flagSet, args []string) error {
	if err := fs.FlagSet.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return &usageError{"help requested"}
		}
		return &usageError{err.Error()}
	}
	return nil
}

// applyEnv gives each flag not set on the command line the value of its
// variable; a bad value is a usage error naming the variable and the form
// wanted.
func applyEnv(fs *flagSet) error {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	for name, variable := range fs.env {
		if set[name] {
			continue
		}
		if v := fs.getenv(variable); v != "" {
			if err := fs.Set(name, v); err != nil {
				return &usageError{fmt.Sprintf("%s=%q: %v", variable, v, err)}
			}
		}
	}
	return nil
}
