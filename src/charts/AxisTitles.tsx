// The titles of a chart's two axes, drawn inside its SVG (laid out in px, offsets in rem so that
// presentation mode's bigger type moves them with the text): the x title centred under the plot,
// just above the SVG's bottom edge, and the y title turned a quarter left, centred on the plot's
// height, just inside the SVG's left edge. Either may be left out (a bar chart names no x axis).
import type { ReactNode } from 'react';

/** The plot area in the SVG's px: where the axes' lines run. */
export type PlotBox = { left: number; right: number; top: number; bottom: number };

type Props = {
  plot: PlotBox;
  /** The SVG's height in px: the x title's baseline sits `xFromBottom` rem above it. */
  height: number;
  rem: number;
  xLabel?: ReactNode;
  yLabel?: ReactNode;
  /** The titles' class: the chart's tick style unless it has a style of its own for titles. */
  className?: string;
  /** The x title's baseline above the SVG's bottom edge, in rem. */
  xFromBottom?: number;
  /** The y title's baseline (it is turned) from the SVG's left edge, in rem. */
  yFromLeft?: number;
};

export function AxisTitles({
  plot,
  height,
  rem,
  xLabel,
  yLabel,
  className = 'viz-tick',
  xFromBottom = 0.5,
  yFromLeft = 0.9,
}: Props) {
  return (
    <>
      {xLabel !== undefined && (
        <text
          x={(plot.left + plot.right) / 2}
          y={height - xFromBottom * rem}
          textAnchor="middle"
          className={className}
        >
          {xLabel}
        </text>
      )}
      {yLabel !== undefined && (
        <text
          transform={`translate(${yFromLeft * rem} ${(plot.top + plot.bottom) / 2}) rotate(-90)`}
          textAnchor="middle"
          className={className}
        >
          {yLabel}
        </text>
      )}
    </>
  );
}
