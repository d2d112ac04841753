// A point marker: shape as well as colour tells the series apart.
import type { Marker } from './palette';

type Props = { marker: Marker; x: number; y: number; size: number; color: string };

export function MarkerShape({ marker, x, y, size, color }: Props) {
  const r = size / 2;
  switch (marker) {
    case 'square':
      return <rect x={x - r} y={y - r} width={size} height={size} fill={color} />;
    case 'triangle':
      return (
        <path
          d={`M${x},${y - r * 1.15}L${x + r * 1.1},${y + r * 0.8}L${x - r * 1.1},${y + r * 0.8}Z`}
          fill={color}
        />
      );
    case 'diamond':
      return (
        <path
          d={`M${x},${y - r * 1.3}L${x + r},${y}L${x},${y + r * 1.3}L${x - r},${y}Z`}
          fill={color}
        />
      );
    case 'cross':
      return (
        <path
          d={`M${x - r},${y - r}L${x + r},${y + r}M${x + r},${y - r}L${x - r},${y + r}`}
          stroke={color}
          strokeWidth={size / 3}
        />
      );
    default:
      return <circle cx={x} cy={y} r={r} fill={color} />;
  }
}
