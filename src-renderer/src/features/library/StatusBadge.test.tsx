// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { StatusBadge } from './StatusBadge';

afterEach(cleanup);

describe('StatusBadge', () => {
  it('shows a labelled progress bar while transcribing', () => {
    render(
      <StatusBadge
        name="talk.wav"
        status={{ status: 'transcribing', percent: 42.7, queued: false, error: null }}
      />,
    );
    expect(screen.getByText('Transcribing 42%')).toBeTruthy();
    const bar = screen.getByRole('progressbar', { name: 'Transcribing talk.wav' });
    expect(bar.getAttribute('aria-valuenow')).toBe('43');
  });

  it('shows a queued job as an indeterminate bar', () => {
    render(
      <StatusBadge
        name="talk.wav"
        status={{ status: 'transcribing', percent: 0, queued: true, error: null }}
      />,
    );
    expect(screen.getByText('Queued')).toBeTruthy();
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBeNull();
  });

  it('shows the reason of a failure as text beside it (not only as a tooltip), and no bar', () => {
    render(
      <StatusBadge
        name="talk.wav"
        status={{ status: 'failed', percent: null, queued: false, error: 'No model.' }}
      />,
    );
    expect(screen.getByText('Failed')).toBeTruthy();
    const reason = screen.getByText('No model.');
    expect(reason.className).toBe('lib-status-reason');
    expect(screen.queryByRole('progressbar')).toBeNull();
  });
});
