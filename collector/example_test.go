package collector_test

import (
	"fmt"
	"time"

	"github.com/dtmfkit/dtmf/collector"
	"github.com/dtmfkit/dtmf/detector"
)

// A scripted PIN entry on an 8 kHz stream: four digits and '#', with a
// wrong first attempt. The host stops the prompt on barge-in and replays it
// on retry.
func Example() {
	c, err := collector.New(8000)
	if err != nil {
		panic(err)
	}
	cfg := collector.DefaultConfig()
	cfg.MinDigits, cfg.MaxDigits = 4, 4
	cfg.Pattern = "[0-9]{4}"
	cfg.Tries = 2
	cfg.FirstDigitTimeout = 5 * time.Second

	sig, _ := c.Start("collect-pin-001", cfg)
	fmt.Println("start:", sig)

	ms := func(t int) int64 { return int64(t) * 8 } // 8 samples per ms
	pos := 1000
	for _, key := range []byte("12*3" + "1234") {
		down := detector.Event{Type: detector.KeyDown, Digit: key, Start: ms(pos - 30), At: ms(pos)}
		up := detector.Event{Type: detector.KeyUp, Digit: key, Start: ms(pos - 30), End: ms(pos + 70), At: ms(pos + 110)}
		for _, ev := range []detector.Event{down, up} {
			sig, err := c.Key(ev)
			if err != nil {
				panic(err)
			}
			if sig != 0 {
				fmt.Printf("%s %c at %d ms: %s\n", ev.Type, key, ev.At/8, sig)
			}
			if sig.Has(collector.Done) {
				r := c.Result()
				fmt.Printf("result: digits=%q status=%s reason=%s tries=%d\n", r.Digits, r.Status, r.Reason, r.Tries)
			}
		}
		pos += 400
	}
	// Output:
	// start: none
	// keydown 1 at 1000 ms: barge-in
	// keydown 3 at 2200 ms: retry
	// keydown 1 at 2600 ms: barge-in
	// keydown 4 at 3800 ms: done
	// result: digits="1234" status=success reason=max-digits tries=2
}

// A collection nobody answers, on a stream whose audio stopped: the host
// moves the clock itself, and every try times out.
func ExampleCollector_AdvanceTo() {
	c, _ := collector.New(8000)
	cfg := collector.DefaultConfig()
	cfg.Tries = 3
	_, _ = c.Start("menu", cfg)
	for _, s := range []int64{4, 5, 12, 15} {
		sig, _ := c.AdvanceTo(s * 8000)
		fmt.Printf("%2d s: %s\n", s, sig)
	}
	r := c.Result()
	fmt.Printf("status=%s reason=%s tries=%d ended at %d s\n", r.Status, r.Reason, r.Tries, r.End/8000)
	// Output:
	//  4 s: none
	//  5 s: retry
	// 12 s: retry
	// 15 s: done
	// status=timeout reason=first-digit-timeout tries=3 ended at 15 s
}

func ExampleParseConfig() {
	cfg, err := collector.ParseConfig("min=4,max=8,tries=3,first=10s,pattern=[0-9]{4,8}")
	if err != nil {
		panic(err)
	}
	fmt.Println(cfg)
	_, err = collector.ParseConfig("min=0")
	fmt.Println(err)
	// Output:
	// min=4,max=8,term=#,first=10s,inter=3s,overall=0s,tries=3,typeahead=0s,wait=false,pattern=[0-9]{4,8}
	// collector: invalid config: min=0, want 1 to 128
}
