import { useQuery } from '@tanstack/react-query';
import type { MouseEvent } from 'react';
import { LiveBadge } from '../features/live/LiveHost';
import { activeJobCount, jobListQuery } from '../features/queue/queries';
import { Icon } from './icons';
import { sectionInfo } from './sections';
import { routeToHash, useUiStore, type Section } from './ui-store';

function QueueBadge() {
  const count = useQuery({ ...jobListQuery(), select: activeJobCount }).data ?? 0;
  if (count === 0) return null;
  return (
    <>
      <span className="badge" aria-hidden="true">
        {count}
      </span>
      <span className="visually-hidden">{`, ${count} active ${count === 1 ? 'job' : 'jobs'}`}</span>
    </>
  );
}

function SectionLink({ section }: { section: Section }) {
  const current = useUiStore((s) =>
    s.route.view === 'editor' ? section === 'library' : s.route.view === section,
  );
  const navigate = useUiStore((s) => s.navigate);
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    navigate({ view: section });
  };
  return (
    <a
      className="nav-link"
      href={routeToHash({ view: section })}
      aria-current={current ? 'page' : undefined}
      onClick={onClick}
    >
      <Icon name={section} />
      <span className="nav-label">{sectionInfo[section].label}</span>
      {section === 'queue' && <QueueBadge />}
      {section === 'live' && <LiveBadge />}
    </a>
  );
}

const main: Section[] = ['library', 'live', 'queue', 'models', 'settings'];

export function Sidebar() {
  return (
    <nav className="sidebar" aria-label="Sections">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        <h1>Transcription Studio</h1>
      </div>
      <ul className="nav-list">
        {main.map((section) => (
          <li key={section}>
            <SectionLink section={section} />
          </li>
        ))}
      </ul>
      <ul className="nav-list nav-bottom">
        <li>
          <SectionLink section="system" />
        </li>
      </ul>
    </nav>
  );
}
