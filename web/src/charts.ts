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
