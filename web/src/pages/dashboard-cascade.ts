import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import type { PublicTraining } from '../../../shared/domain/training';
import type { ResponseBody } from '../../../shared/api/client';
import { get, getAllPages, withQuery } from '../api';
import { buildTree, type TreeNode } from '../charts';
import { formatDate } from '../format';
import { language, localized, t, type MessageKey } from '../i18n';
import { regionName, type Region } from '../regions';
import { ErrorBox, Loading, SelectInput, useAsync } from '../ui';

type CascadeNode = ResponseBody<'cascadeReport'>['nodes'][number];

/** A page of the tree: large cascades arrive in pieces, each "show more" reads the next. */
const PAGE = 50;
/** Beyond this many trainings the branches start folded, so the first screen stays readable. */
const FOLD_ABOVE = 20;

/**
 * The cascades' roots: national (level-0) trainings, published or already closed. A cascade's
 * root is usually closed by the time its branches exist, so the public upcoming list would miss it.
 */
async function cascadeRoots(): Promise<PublicTraining[]> {
  const query = { level: 0, from: '2000-01-01T00:00:00+05:00', limit: 100 };
  const [closed, published] = await Promise.all([
    getAllPages('listTrainings', '/api/trainings', { ...query, status: 'closed' }),
    getAllPages('listTrainings', '/api/trainings', query),
  ]);
  const firstStart = (training: PublicTraining) => training.sessions[0]?.startsAt ?? '';
  // Newest first; a closed cascade has branches to show, so it comes before a future one.
  return [...closed.sort((a, b) => firstStart(b).localeCompare(firstStart(a))), ...published.sort((a, b) => firstStart(b).localeCompare(firstStart(a)))];
}

function TreeBranch({ nodes, folded, toggle, regions }: { nodes: TreeNode<CascadeNode>[]; folded: Set<string>; toggle: (id: string) => void; regions: Region[] | undefined }) {
  return html`<ul>
    ${nodes.map((node) => {
      const item = node.item;
      const open = !folded.has(item.trainingId);
      const region = regionName(regions, item.region, language());
      return html`<li data-training=${item.trainingId} data-level=${item.level} data-certified=${item.certified}>
        <div class="node">
          ${node.children.length > 0
            ? html`<button type="button" class="toggle" aria-expanded=${String(open)} aria-label=${t('dashboard.branch', { count: node.children.length, title: item.title })}
                onClick=${() => toggle(item.trainingId)}>${open ? '−' : '+'}</button>`
            : null}
          <span class=${`node-card level-${item.level}`}>
            <strong>${t(`level.${item.level}` as MessageKey)}</strong>
            <span>${item.title}</span>
            <span class="muted">${item.trainerName} · ${region}</span>
            <span class="count">${t('dashboard.certified', { count: item.certified })}</span>
            ${item.flagged ? html`<span class="badge badge-revoked">${t(`flag.${item.flagged}` as MessageKey)}</span>` : null}
          </span>
        </div>
        ${node.children.length > 0 && open ? html`<${TreeBranch} nodes=${node.children} folded=${folded} toggle=${toggle} regions=${regions} />` : null}
      </li>`;
    })}
  </ul>`;
}

function CascadeTree({ root, regions }: { root: string; regions: Region[] | undefined }) {
  const [nodes, setNodes] = useState<CascadeNode[]>([]);
  const [cursor, setCursor] = useState<string>();
  const [more, setMore] = useState<{ loading: boolean; error?: unknown }>({ loading: false });
  const [folded, setFolded] = useState<Set<string>>(new Set());
  const first = useAsync(() => get('cascadeReport', withQuery(`/api/reports/cascade/${encodeURIComponent(root)}`, { limit: PAGE })), [root]);
  useEffect(() => {
    if (!first.data) return;
    setNodes(first.data.nodes);
    setCursor(first.data.nextCursor);
    const big = first.data.nodes.length > FOLD_ABOVE || first.data.nextCursor !== undefined;
    setFolded(new Set(big ? first.data.nodes.filter((node) => node.level >= 1).map((node) => node.trainingId) : []));
  }, [first.data]);
  const toggle = (id: string) => {
    const next = new Set(folded);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setFolded(next);
  };
  const loadMore = async () => {
    setMore({ loading: true });
    try {
      const page = await get('cascadeReport', withQuery(`/api/reports/cascade/${encodeURIComponent(root)}`, { limit: PAGE, cursor }));
      setNodes((previous) => [...previous, ...page.nodes]);
      setCursor(page.nextCursor);
      setMore({ loading: false });
    } catch (error) {
      setMore({ loading: false, error });
    }
  };
  if (first.loading && !first.data) return html`<${Loading} />`;
  if (first.error) return html`<${ErrorBox} error=${first.error} />`;
  const report = first.data;
  if (!report) return null;
  const tree = buildTree(nodes);
  return html`<div>
    <p data-testid="cascade-summary">${t('dashboard.cascadeSummary', {
      multipliers: report.summary.multipliers,
      held: report.summary.trainingsHeld,
      reach: report.summary.reach,
      factor: report.summary.multiplicationFactor ?? '—',
    })}</p>
    ${nodes.length === 0
      ? html`<p class="muted">${t('dashboard.cascadeNoNodes')}</p>`
      : html`<div class="tree" data-testid="cascade-tree">
          <${TreeBranch} nodes=${tree} folded=${folded} toggle=${toggle} regions=${regions} />
        </div>`}
    <p class="muted">${t('dashboard.cascadeShown', { count: nodes.length })}</p>
    ${cursor ? html`<button type="button" class="secondary" disabled=${more.loading} onClick=${loadMore}>${t('dashboard.cascadeMore')}</button>` : null}
    <${ErrorBox} error=${more.error} />
  </div>`;
}

export function CascadeView({ regions }: { regions: Region[] | undefined }) {
  const roots = useAsync(cascadeRoots, []);
  const [chosen, setChosen] = useState('');
  const root = chosen || roots.data?.[0]?.id || '';
  const options = (roots.data ?? []).map((item) => ({
    value: item.id,
    label: `${localized(item.title)} (${item.sessions[0] ? formatDate(item.sessions[0].startsAt, language()) : '—'}, ${t(`status.${item.status}` as MessageKey)})`,
  }));
  return html`<section aria-labelledby="cascade-heading">
    <h2 id="cascade-heading">${t('dashboard.cascade')}</h2>
    <${ErrorBox} error=${roots.error} />
    ${roots.loading ? html`<${Loading} />` : null}
    ${roots.data && roots.data.length === 0 ? html`<p class="muted" data-testid="cascade-empty">${t('dashboard.cascadeEmpty')}</p>` : null}
    ${options.length > 0
      ? html`<${SelectInput} label=${t('dashboard.rootTraining')} name="cascade-root" value=${root} options=${options} onChange=${setChosen} />
          <${CascadeTree} key=${root} root=${root} regions=${regions} />`
      : null}
  </section>`;
}
