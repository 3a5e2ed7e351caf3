/** SPEC §4.6: the organization's projects with their keys, items and license usage order. */
import { Link } from 'react-router';
import type { LicenseItem, Project } from '../../../src/contract/resources.ts';
import { useApi } from '../api/use-api.ts';
import { useAuth } from '../auth.tsx';
import { Icon } from '../components/Icon.tsx';
import { OrgPending, useOrg } from '../components/OrgPicker.tsx';
import { Async, Badge, Card, Empty, Forbidden, PageHeader } from '../components/ui.tsx';
import { useDocumentTitle } from '../title.ts';

export default function ProjectsPage() {
  const { user } = useAuth();
  useDocumentTitle('Projects');
  // Project keys are license keys: members may neither list nor open projects (the API answers 403).
  if (user?.role === 'member') return <Forbidden what="projects" />;
  return <Projects />;
}

function Projects() {
  const { user } = useAuth();
  const org = useOrg();
  const canEdit = user?.role === 'admin' || user?.role === 'vendor';
  const ready = org.loaded && (!org.isVendor || org.organizationId !== undefined);
  const q = org.isVendor ? { organizationId: org.organizationId } : undefined;
  const projects = useApi<{ projects: Project[] }>(ready ? '/projects' : null, q);
  const items = useApi<{ licenseItems: LicenseItem[] }>(ready ? '/license-items' : null, q);
  const itemById = new Map((items.data?.licenseItems ?? []).map((i) => [i.id, i]));
  return (
    <div className="page">
      <PageHeader
        title="Projects"
        subtitle="Group license items by project. Clients using a project key draw from its items in the license usage order."
        actions={
          canEdit && (
            <Link to="/projects/new" className="btn btn-primary">
              <Icon name="plus" size={16} /> New project
            </Link>
          )
        }
      />
      {!ready ? (
        <OrgPending />
      ) : (
        <Async state={projects} label="Loading projects…">
          {(d) =>
            d.projects.length === 0 ? (
              <Empty title="No projects yet">
                {canEdit ? (
                  <>
                    <Link to="/projects/new">Create a project</Link> to group license items and give your
                    programs one project key.
                  </>
                ) : (
                  'Your administrator has not created any projects.'
                )}
              </Empty>
            ) : (
              <div className="list-cards" data-testid="projects">
                {d.projects.map((p) => (
                  <Card
                    key={p.id}
                    className="list-card"
                    title={<Link to={`/projects/${p.id}`}>{p.name}</Link>}
                    actions={
                      p.customOrder ? <Badge tone="info">custom order</Badge> : <Badge>default order</Badge>
                    }
                  >
                    <dl className="kv">
                      <dt>Project key</dt>
                      <dd className="id-mono">{p.key}</dd>
                      <dt>License usage order</dt>
                      <dd>
                        {p.usageOrder.length === 0 ? (
                          <span className="muted">no license items</span>
                        ) : (
                          <ol className="usage-order-list">
                            {p.usageOrder.map((id) => (
                              <li key={id}>
                                <Link to={`/license-items/${id}`} className="id-mono">
                                  {id}
                                </Link>{' '}
                                <span className="muted small">{itemById.get(id)?.name ?? ''}</span>
                              </li>
                            ))}
                          </ol>
                        )}
                      </dd>
                    </dl>
                    <div className="card-actions">
                      <Link to={`/projects/${p.id}`} className="btn btn-secondary btn-sm">
                        Statistics
                      </Link>
                      {canEdit && (
                        <Link to={`/projects/${p.id}/edit`} className="btn btn-ghost btn-sm">
                          Edit
                        </Link>
                      )}
                    </div>
                  </Card>
                ))}
              </div>
            )
          }
        </Async>
      )}
    </div>
  );
}
