/** Geometry of the dashboard's inline SVG charts, kept pure so it can be tested without a DOM. */

export interface Bar {
  label: string;
  value: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Horizontal bars scaled to the largest value; zero-width bars stay zero. */
export function horizontalBars(
  values: readonly { label: string; value: number }[],
  { width, barHeight, gap }: { width: number; barHeight: number; gap: number },
): Bar[] {
  const max = Math.max(0, ...values.map((entry) => entry.value));
  return values.map((entry, index) => ({
    label: entry.label,
    value: entry.value,
    x: 0,
    y: index * (barHeight + gap),
    width: max === 0 ? 0 : Math.round((Math.max(0, entry.value) / max) * width * 10) / 10,
    height: barHeight,
  }));
}

export interface LinePoint {
  label: string;
  value: number;
  x: number;
  y: number;
}

/** Points of a line chart inside width × height (y grows downwards, as in SVG). */
export function linePoints(
  values: readonly { label: string; value: number }[],
  { width, height }: { width: number; height: number },
): LinePoint[] {
  const max = Math.max(0, ...values.map((entry) => entry.value));
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  return values.map((entry, index) => ({
    label: entry.label,
    value: entry.value,
    x: Math.round((values.length > 1 ? index * step : width / 2) * 10) / 10,
    y: Math.round((max === 0 ? height : height - (entry.value / max) * height) * 10) / 10,
  }));
}

export interface TreeNode<T> {
  item: T;
  children: TreeNode<T>[];
}

/**
 * Nests the cascade's flat node list by parent. A node whose parent is not in the list (another
 * page, or outside the reader's region) becomes a root, so nothing is dropped.
 */
export function buildTree<T extends { trainingId: string; parentTrainingId: string | null }>(nodes: readonly T[]): TreeNode<T>[] {
  const byId = new Map(nodes.map((item) => [item.trainingId, { item, children: [] as TreeNode<T>[] }]));
  const roots: TreeNode<T>[] = [];
  for (const node of byId.values()) {
    const parent = node.item.parentTrainingId ? byId.get(node.item.parentTrainingId) : undefined;
    if (parent && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** Vertical bars for a month series: x by position, heights scaled to a rounded axis maximum. */
export interface Column {
  label: string;
  value: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The axis maximum: the largest value rounded up to 1, 2 or 5 × a power of ten (never 0). */
export function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((factor) => factor * power >= value)!;
  return step * power;
}

export function columns(
  values: readonly { label: string; value: number }[],
  { width, height, gap }: { width: number; height: number; gap: number },
): { columns: Column[]; max: number; ticks: number[] } {
  const max = niceMax(Math.max(0, ...values.map((entry) => entry.value)));
  const slot = values.length > 0 ? width / values.length : width;
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    max,
    // 0, half and the top: enough to read a value off the axis without a grid of lines. Counts
    // are whole, so an axis up to 5 has no half-way mark (it would print as 3).
    ticks: Number.isInteger(max / 2) ? [0, max / 2, max] : [0, max],
    columns: values.map((entry, index) => {
      const barHeight = round((Math.max(0, entry.value) / max) * height);
      return { label: entry.label, value: entry.value, x: round(index * slot + gap / 2), y: round(height - barHeight), width: round(Math.max(0, slot - gap)), height: barHeight };
    }),
  };
}

/** How much of the previous step is lost at each step of a funnel: null where there was nothing. */
export function dropOffs(values: readonly number[]): (number | null)[] {
  return values.map((value, index) => {
    if (index === 0) return null;
    const previous = values[index - 1]!;
    return previous > 0 ? Math.max(0, (previous - value) / previous) : null;
  });
}

/**
 * Tiles of the 20 regions (2022 division) on a 6 × 5 grid, roughly where they lie: west to
 * east, north to south. The three cities sit beside the oblast around them.
 */
export const regionTiles: Readonly<Record<string, { column: number; row: number }>> = {
  'west-kazakhstan': { column: 0, row: 0 },
  kostanay: { column: 2, row: 0 },
  'north-kazakhstan': { column: 3, row: 0 },
  pavlodar: { column: 4, row: 0 },
  'east-kazakhstan': { column: 5, row: 0 },
  atyrau: { column: 0, row: 1 },
  aktobe: { column: 1, row: 1 },
  ulytau: { column: 2, row: 1 },
  akmola: { column: 3, row: 1 },
  astana: { column: 4, row: 1 },
  abai: { column: 5, row: 1 },
  mangystau: { column: 0, row: 2 },
  kyzylorda: { column: 1, row: 2 },
  karaganda: { column: 3, row: 2 },
  jetisu: { column: 5, row: 2 },
  turkistan: { column: 2, row: 3 },
  zhambyl: { column: 3, row: 3 },
  'almaty-region': { column: 4, row: 3 },
  shymkent: { column: 2, row: 4 },
  almaty: { column: 4, row: 4 },
};

/** Five shades, light to dark; text on the last two is white (both pass 4.5:1). */
export const shades = ['#e8f0f8', '#bcd3ea', '#7fa9d4', '#2f6db0', '#143f73'] as const;

/**
 * Class bounds for a map legend: zero gets the lightest shade alone, the rest is split into
 * four equal ranges up to the largest value, so one busy region does not wash out the others.
 */
export function shadeClasses(max: number): { from: number; to: number }[] {
  if (max <= 0) return [{ from: 0, to: 0 }];
  const top = Math.max(4, Math.ceil(max / 4) * 4);
  const step = top / 4;
  return [{ from: 0, to: 0 }, ...[0, 1, 2, 3].map((index) => ({ from: index * step + 1, to: (index + 1) * step }))];
}

export function shadeIndex(value: number, classes: readonly { from: number; to: number }[]): number {
  const index = classes.findIndex((range) => value >= range.from && value <= range.to);
  return index === -1 ? classes.length - 1 : index;
}
