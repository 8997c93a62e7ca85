import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { TranscriptSpeaker } from '../../../../src-main/contract/speakers';
import { speakerStats, type SpeakerStats } from '../../../../src-main/common/speaker-stats';
import { toastError } from '../../app/toasts';
import { transcriptSpeakersQuery } from '../speakers/queries';
import { suggestionKey, useDismissedSuggestions } from './dismissed-suggestions';
import { mergeSpeakers, renameSpeaker } from './doc-ops';
import { applyEdit } from './edit-actions';
import { useDoc, useEditor } from './editor-context';
import { formatTime } from './format-time';
import { RememberVoiceDialog } from './RememberVoiceDialog';
import { speakerSlot } from './speakers';
import { useVoiceActions } from './voice-actions';

/** A clip's length as "4.8 s". */
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Every speaker with talk time, word count and a voice sample to play; rename in place, merge
 * one into another, remember a voice or confirm the one the engine suggests. Talk time, words
 * and the sample follow the document as edited; target words, voices and suggestions come from
 * the engine (as last saved).
 */
export function SpeakerPanel() {
  const { transcriptId } = useEditor();
  const doc = useDoc((s) => s.doc);
  const stats = useMemo(() => speakerStats(doc), [doc]);
  const engine = useQuery(transcriptSpeakersQuery(transcriptId));
  const byId = new Map((engine.data?.speakers ?? []).map((s) => [s.id, s]));
  const [remembering, setRemembering] = useState<{ id: string; name: string } | null>(null);
  return (
    <aside className="speaker-panel" aria-label="Speakers">
      <h3>Speakers</h3>
      {doc.speakers.length === 0 && (
        <p className="muted">No speakers yet. Click a segment’s speaker label to add one.</p>
      )}
      <ul>
        {stats.map((s) => (
          <li key={s.id ?? 'none'} data-speaker-id={s.id ?? undefined}>
            {s.id === null ? (
              <span className="speaker-row-name">{s.name}</span>
            ) : (
              <SpeakerRow
                key={s.name}
                id={s.id}
                name={s.name}
                stats={s}
                slot={speakerSlot(doc.speakers, s.id)}
                others={doc.speakers.filter((o) => o.id !== s.id)}
                engine={byId.get(s.id)}
                onRemember={() => setRemembering({ id: s.id!, name: s.name })}
              />
            )}
            {s.id === null && (
              <span className="muted">
                {formatTime(s.talkMs)} · {s.words} words
              </span>
            )}
          </li>
        ))}
      </ul>
      {remembering && (
        <RememberVoiceDialog
          speakerId={remembering.id}
          name={remembering.name}
          onClose={() => setRemembering(null)}
        />
      )}
    </aside>
  );
}

function SpeakerRow({
  id,
  name,
  stats,
  slot,
  others,
  engine,
  onRemember,
}: {
  id: string;
  name: string;
  stats: SpeakerStats;
  /** Its colour, as on its segments. */
  slot: string;
  others: { id: string; name: string }[];
  /** What the engine says about this speaker; absent until loaded, or for a new speaker. */
  engine: TranscriptSpeaker | undefined;
  onRemember(): void;
}) {
  const { store, player } = useEditor();
  const [draft, setDraft] = useState(name);
  const [into, setInto] = useState('');
  const label = name || id;
  const rename = () => {
    if (draft.trim() !== name)
      applyEdit(store, 'Rename speaker', (doc) => renameSpeaker(doc, id, draft));
  };
  const targets = Object.entries(engine?.targetCounts ?? {}).filter(([, count]) => count > 0);
  const { sample } = stats;
  return (
    <div className="speaker-row">
      <div className="speaker-row-head">
        <span className={`speaker-swatch speaker-${slot}`} aria-hidden="true" />
        <input
          className="speaker-row-name"
          aria-label={`Name of speaker ${label}`}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={rename}
          onKeyDown={(e) => {
            if (e.key === 'Enter') rename();
            if (e.key === 'Escape') setDraft(name);
          }}
        />
        {sample && (
          <button
            type="button"
            className="small sample-button"
            aria-label={`Play the voice sample of ${label} (${seconds(sample.end - sample.start)})`}
            title="Play a sample of this voice"
            onClick={() => player.playClip(sample.start, sample.end)}
          >
            ▶ {seconds(sample.end - sample.start)}
          </button>
        )}
      </div>
      <span className="muted speaker-stats">
        {formatTime(stats.talkMs)} · {stats.words} words
        {engine?.voiceId && <span className="pill ok">Known voice</span>}
      </span>
      {targets.length > 0 && (
        <span className="speaker-targets">
          Target words:{' '}
          {targets.map(([word, count], i) => (
            <span key={word}>
              {i > 0 && ', '}
              {word} <span className="muted">×{count}</span>
            </span>
          ))}
        </span>
      )}
      {engine && <Suggestion speakerId={id} label={label} engine={engine} />}
      <div className="speaker-actions">
        {engine?.canRemember && !engine.voiceId && (
          <button type="button" className="small" onClick={onRemember}>
            Remember voice…
          </button>
        )}
        {others.length > 0 && (
          <span className="speaker-merge">
            <select
              aria-label={`Merge ${label} into`}
              value={into}
              onChange={(e) => setInto(e.target.value)}
            >
              <option value="">Merge into…</option>
              {others.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name || o.id}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="small"
              disabled={into === ''}
              onClick={() =>
                applyEdit(store, 'Merge speakers', (doc) => mergeSpeakers(doc, id, into))
              }
            >
              Merge
            </button>
          </span>
        )}
      </div>
    </div>
  );
}

/** "Sounds like Alice · Confirm / Not them", for a speaker the engine matched to a known voice. */
function Suggestion({
  speakerId,
  label,
  engine,
}: {
  speakerId: string;
  label: string;
  engine: TranscriptSpeaker;
}) {
  const { transcriptId } = useEditor();
  const { confirm } = useVoiceActions();
  const [busy, setBusy] = useState(false);
  const suggestion = engine.suggestion;
  const key = suggestion ? suggestionKey(transcriptId, speakerId, suggestion.voiceId) : '';
  const dismissed = useDismissedSuggestions((s) => s.keys.has(key));
  if (!suggestion || engine.voiceId || dismissed) return null;
  const accept = () => {
    setBusy(true);
    confirm(speakerId, suggestion.voiceId, suggestion.name)
      .catch(toastError)
      .finally(() => setBusy(false));
  };
  return (
    <div className="voice-suggestion" role="group" aria-label={`Suggestion for ${label}`}>
      <span>
        Sounds like <strong>{suggestion.name}</strong>
      </span>
      <button
        type="button"
        className="small primary"
        disabled={busy}
        aria-label={`Confirm: ${label} is ${suggestion.name}`}
        onClick={accept}
      >
        Confirm
      </button>
      <button
        type="button"
        className="small subtle"
        disabled={busy}
        aria-label={`Not them: ${label} is not ${suggestion.name}`}
        onClick={() => useDismissedSuggestions.getState().dismiss(key)}
      >
        Not them
      </button>
    </div>
  );
}
