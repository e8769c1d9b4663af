package main

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/dtmfkit/dtmf/bench"
)

// plots draws the report's figures into dir, each as SVG and PNG: detection
// rate vs SNR (snr), digits found under speech (talkdown), the distribution of
// duration errors (duration_error) and, per decoder, the accept region over
// frequency offset × twist (region_NAME). Figures whose data the report lacks
// are skipped. It returns the SVG file names written, in that order.
func plots(r *bench.Report, dir string) ([]string, error) {
	var names []string
	save := func(name string, w, h vg.Length, draw func(draw.Canvas) error) error {
		for _, ext := range []string{".svg", ".png"} {
			if err := saveCanvas(filepath.Join(dir, name+ext), w, h, draw); err != nil {
				return fmt.Errorf("plot %s: %w", name+ext, err)
			}
		}
		names = append(names, name+".svg")
		return nil
	}
	for _, c := range r.Curves {
		name := map[string]string{"noise": "snr", "talk-down": "talkdown"}[c.Category]
		if name == "" {
			continue
		}
		p, err := curvePlot(c)
		if err != nil {
			return nil, err
		}
		if err := save(name, 16*vg.Centimeter, 10*vg.Centimeter, drawPlot(p)); err != nil {
			return nil, err
		}
	}
	if p, err := durationPlot(r.Durations); err != nil {
		return nil, err
	} else if p != nil {
		if err := save("duration_error", 16*vg.Centimeter, 10*vg.Centimeter, drawPlot(p)); err != nil {
			return nil, err
		}
	}
	for _, reg := range r.Regions {
		p, bar, err := regionPlot(reg)
		if err != nil {
			return nil, err
		}
		err = save("region_"+fileSafe(reg.Decoder), 18*vg.Centimeter, 12*vg.Centimeter, func(c draw.Canvas) error {
			w := c.Max.X - c.Min.X
			left, right := c, c
			left.Max.X = c.Min.X + w*0.86
			right.Min.X = left.Max.X
			right.Min.Y += 1.1 * vg.Centimeter
			right.Max.Y -= 0.8 * vg.Centimeter
			p.Draw(left)
			bar.Draw(right)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return names, nil
}

func drawPlot(p *plot.Plot) func(draw.Canvas) error {
	return func(c draw.Canvas) error { p.Draw(c); return nil }
}

// saveCanvas renders fn on a w×h canvas and writes it to path as SVG or
// PNG (by extension).
func saveCanvas(path string, w, h vg.Length, fn func(draw.Canvas) error) error {
	var canvas interface {
		vg.CanvasSizer
		io.WriterTo
	}
	switch filepath.Ext(path) {
	case ".svg":
		canvas = vgsvg.New(w, h)
	case ".png":
		canvas = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(110))}
	default:
		return fmt.Errorf("unknown image type %q", filepath.Ext(path))
	}
	if err := fn(draw.New(canvas)); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := canvas.WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func curvePlot(c bench.Curve) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = c.Name
	p.X.Label.Text = c.XLabel
	p.Y.Label.Text = c.YLabel + " [%]"
	p.Y.Min, p.Y.Max = 0, 100
	p.Add(plotter.NewGrid())
	for i, s := range c.Series {
		xys := make(plotter.XYs, 0, len(s.Points))
		for _, q := range s.Points {
			if !math.IsNaN(float64(q.Y)) {
				xys = append(xys, plotter.XY{X: q.X, Y: 100 * float64(q.Y)})
			}
		}
		sort.Slice(xys, func(a, b int) bool { return xys[a].X < xys[b].X })
		l, pts, err := plotter.NewLinePoints(xys)
		if err != nil {
			return nil, err
		}
		l.Color = plotutil.Color(i)
		l.Dashes = plotutil.Dashes(i)
		pts.Color = plotutil.Color(i)
		pts.Shape = plotutil.Shape(i)
		p.Add(l, pts)
		p.Legend.Add(s.Decoder, l, pts)
	}
	// Noise curves rise to the right, talk-down curves fall.
	p.Legend.Top = c.Category != "noise"
	p.Legend.YOffs = vg.Centimeter
	if !p.Legend.Top {
		p.Legend.YOffs = vg.Centimeter
	} else {
		p.Legend.YOffs = 0
	}
	return p, nil
}

// durationPlot is a histogram per decoder of duration errors, in 1 ms bins,
// overlaid; nil if no decoder reported durations.
func durationPlot(samples []bench.Sample) (*plot.Plot, error) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range samples {
		for _, v := range s.Values {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if math.IsInf(lo, 1) {
		return nil, nil
	}
	lo, hi = math.Floor(lo)-0.5, math.Ceil(hi)+0.5
	p := plot.New()
	p.Title.Text = "duration_ms error (reported minus true press length)"
	p.X.Label.Text = "error [ms] (1 ms bins)"
	p.Y.Label.Text = "presses [%]"
	p.Add(plotter.NewGrid())
	for i, s := range samples {
		if len(s.Values) == 0 {
			continue
		}
		// One extra point per edge so that every histogram has the same bins.
		n := int(hi - lo)
		counts := make([]float64, n)
		for _, v := range s.Values {
			counts[min(n-1, max(0, int(v-lo)))]++
		}
		xys := make(plotter.XYs, 0, 2*n+2)
		xys = append(xys, plotter.XY{X: lo, Y: 0})
		for k, c := range counts {
			y := 100 * c / float64(len(s.Values))
			xys = append(xys, plotter.XY{X: lo + float64(k), Y: y}, plotter.XY{X: lo + float64(k+1), Y: y})
		}
		xys = append(xys, plotter.XY{X: hi, Y: 0})
		l, err := plotter.NewLine(xys)
		if err != nil {
			return nil, err
		}
		col := plotutil.Color(i)
		l.Color = col
		l.Width = vg.Points(1.5)
		r, g, b, _ := col.RGBA()
		l.FillColor = color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 60}
		p.Add(l)
		m, w := meanWorst(s.Values)
		p.Legend.Add(fmt.Sprintf("%s: n=%d, mean %+.1f, worst %+.0f ms", s.Decoder, len(s.Values), m, w), l)
	}
	p.X.Tick.Marker = integerTicks{}
	p.Legend.Top = true
	p.Legend.Left = true
	return p, nil
}

// integerTicks labels whole numbers, every 1, 2, 5, 10, 20, ... so that
// about ten labels fit.
type integerTicks struct{}

// Ticks returns the ticks between lo and hi.
func (integerTicks) Ticks(lo, hi float64) []plot.Tick {
	step := 1.0
	for k := 0; (hi-lo)/step > 12; k++ {
		step *= [3]float64{2, 2.5, 2}[k%3]
	}
	var ticks []plot.Tick
	for v := math.Ceil(lo/step) * step; v <= hi; v += step {
		ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', -1, 64)})
	}
	return ticks
}

type regionGrid struct{ reg bench.Region }

func (g regionGrid) Dims() (c, r int)   { return len(g.reg.Offsets), len(g.reg.Twists) }
func (g regionGrid) Z(c, r int) float64 { return g.reg.Rate[r][c] }
func (g regionGrid) X(c int) float64    { return g.reg.Offsets[c] }
func (g regionGrid) Y(r int) float64    { return g.reg.Twists[r] }

// regionPlot draws the accept rate over offset × twist with the Q.24 accept
// box (solid) and the must-reject limits (dashed), and its colour bar.
func regionPlot(reg bench.Region) (*plot.Plot, *plot.Plot, error) {
	cm := moreland.ExtendedBlackBody()
	cm.SetMin(0)
	cm.SetMax(1)
	h := plotter.NewHeatMap(regionGrid{reg}, cm.Palette(64))
	h.Min, h.Max = 0, 1
	p := plot.New()
	p.Title.Text = reg.Decoder + ": accept rate, both tones offset alike"
	p.X.Label.Text = "frequency offset of both tones [% of nominal]"
	p.Y.Label.Text = "twist: high minus low level [dB]"
	p.Add(h)
	box := func(x0, x1, y0, y1 float64, dashed bool, col color.Color) error {
		l, err := plotter.NewLine(plotter.XYs{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}, {X: x0, Y: y0}})
		if err != nil {
			return err
		}
		l.Color = col
		l.Width = vg.Points(1.5)
		if dashed {
			l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		}
		p.Add(l)
		return nil
	}
	a := 1.5 + 200/detector1633 // Q.24: 1.5 % + 2 Hz, narrowest at 1633 Hz
	if err := box(-a, a, -8, 4, false, color.NRGBA{G: 160, B: 255, A: 255}); err != nil {
		return nil, nil, err
	}
	if err := box(-3.5, 3.5, -10, 6, true, color.NRGBA{G: 160, B: 255, A: 255}); err != nil {
		return nil, nil, err
	}
	p.Legend.Add("Q.24: accept inside (solid), reject outside (dashed)")
	bar := plot.New()
	cb := &plotter.ColorBar{ColorMap: cm, Vertical: true}
	bar.Add(cb)
	bar.HideX()
	bar.Y.Label.Text = "accept rate"
	return p, bar, nil
}

// detector1633 is the highest DTMF frequency: its ±(1.5 % + 2 Hz) is the
// narrowest accept band.
const detector1633 = 1633.0

func fileSafe(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		}
		return '_'
	}, s)
}

// meanWorst returns the mean and the value of largest magnitude of v (not
// empty).
func meanWorst(v []float64) (mean, worst float64) {
	var sum float64
	for _, x := range v {
		sum += x
		if math.Abs(x) > math.Abs(worst) {
			worst = x
		}
	}
	return sum / float64(len(v)), worst
}
