// uPlot inside React: the plot is made once per options/data and follows its container's width,
// because uPlot draws at a fixed pixel size and never measures its parent itself.
import { useEffect, useRef } from 'react'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'

export interface UPlotChartProps {
  /** Everything but the size, which comes from the container. */
  options: Omit<uPlot.Options, 'width' | 'height'>
  data: uPlot.AlignedData
  height: number
  label: string
  testId?: string
}

export function UPlotChart({ options, data, height, label, testId }: UPlotChartProps) {
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const el = box.current
    if (!el) return
    const width = () => Math.max(200, Math.floor(el.clientWidth))
    const plot = new uPlot({ ...options, width: width(), height }, data, el)
    const observer = new ResizeObserver(() => {
      const w = width()
      if (w !== plot.width) plot.setSize({ width: w, height })
    })
    observer.observe(el)
    return () => {
      observer.disconnect()
      plot.destroy()
    }
  }, [options, data, height])
  return <div ref={box} className="bench-chart" role="img" aria-label={label} data-testid={testId} />
}
