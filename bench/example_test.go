package bench_test

import (
	"context"
	"fmt"

	"github.com/dtmfkit/dtmf/bench"
)

// Run two categories of the quick subset and print the verdicts.
func ExampleRun() {
	rep, err := bench.Run(context.Background(), bench.Options{Quick: true, Categories: []string{"keys", "length"}}, bench.NewNative())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range rep.Checks {
		r := c.Results[0]
		fmt.Printf("%s: %s — %s %d/%d\n", c.Category, c.Name, r.Status, r.Passed, r.Total)
	}
	// Output:
	// keys: all 16 keys, 100 ms at -10 dBm0 per tone — pass 64/64
	// length: 40 ms tones — pass 64/64
	// length: 23 ms tones — pass 64/64
}
