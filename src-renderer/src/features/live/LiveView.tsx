import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type MouseEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { toastError } from '../../app/toasts';
import { routeToHash, useUiStore } from '../../app/ui-store';
import { useShortcut } from '../../app/use-shortcuts';
import { useStoredState, writeStored } from '../library/use-stored-state';
import { modelListQuery } from '../models/queries';
import { settingsQuery } from '../settings/queries';
import { inputChoices, useAudioInputs } from './audio-inputs';
import { CaptionLog } from './CaptionLog';
import { formatBehind, formatElapsed, lagVisible } from './format';
import { languageChoices, languageLabel } from './languages';
import { LevelMeter } from './LevelMeter';
import { startLive, stopLive } from './live-controller';
import { isActive, useLive, type LiveOptions, type LivePhase } from './live-store';
import { presentCaptions } from './presentation';
import type { LiveProblem } from './problems';
import './live.css';

const deviceKey = 'studio.live.inputDevice';
const booleans = ['true', 'false'] as const;

/** The remembered microphone ('' for the system default). */
function readDevice(): string {
  try {
    return window.localStorage.getItem(deviceKey) ?? '';
  } catch {
    return '';
  }
}

/** The current time, every `everyMs` while `running` (for clocks and fading indicators). */
function useNow(running: boolean, everyMs = 500): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [running, everyMs]);
  return now;
}

const phaseText: Record<LivePhase, string> = {
  idle: 'Not running',
  starting: 'Starting…',
  running: 'Live',
  stopping: 'Finishing…',
};

/** Phase, running time and lag: what a captioner glances at. */
function SessionStatus() {
  const { phase, startedAt, stoppedAt, lag, saving } = useLive(
    useShallow(({ phase, startedAt, stoppedAt, lag, options }) => ({
      phase,
      startedAt,
      stoppedAt,
      lag,
      saving: options?.save === true,
    })),
  );
  const now = useNow(phase !== 'idle');
  const elapsed = startedAt === null ? null : (stoppedAt ?? now) - startedAt;
  const lagging = phase !== 'idle' && lag !== null && lagVisible(lag, now);
  return (
    <div className="live-status">
      <span
        className={`pill ${phase === 'running' ? 'live-on' : phase === 'idle' ? '' : 'active'}`}
      >
        <span role="status">
          {phase === 'stopping' && saving ? 'Finishing and saving…' : phaseText[phase]}
        </span>
      </span>
      {elapsed !== null && (
        <span className="num live-elapsed" role="timer" aria-label="Elapsed time">
          {formatElapsed(elapsed)}
        </span>
      )}
      {/* Always present, so that screen readers announce the lag when it appears. */}
      <span role="status" className={lagging ? 'pill warn' : undefined}>
        {lagging ? formatBehind(lag.behindMs) : ''}
      </span>
    </div>
  );
}

function ProblemAlert({ problem }: { problem: LiveProblem }) {
  const navigate = useUiStore((s) => s.navigate);
  return (
    <div className="alert live-problem" role="alert">
      <div>
        <p className="live-problem-title">{problem.title}</p>
        <p>{problem.message}</p>
        {problem.fix === 'models' && (
          <a
            href={routeToHash({ view: 'models' })}
            onClick={follow(() => navigate({ view: 'models' }))}
          >
            Open Models
          </a>
        )}
      </div>
      <button type="button" className="small" onClick={() => useLive.setState({ problem: null })}>
        Dismiss
      </button>
    </div>
  );
}

/** A link's click as in-app navigation (modified clicks keep their browser meaning). */
const follow = (go: () => void) => (event: MouseEvent<HTMLAnchorElement>) => {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  event.preventDefault();
  go();
};

/** The Live section: microphone in, captions out, the session saved on Stop. */
export function LiveView() {
  const queryClient = useQueryClient();
  const navigate = useUiStore((s) => s.navigate);
  const models = useQuery(modelListQuery());
  const settings = useQuery(settingsQuery());
  const phase = useLive((s) => s.phase);
  const running = useLive((s) => s.options);
  const problem = useLive((s) => s.problem);
  const active = isActive(phase);

  const devices = useAudioInputs(phase === 'running');
  const [chosenDevice, setChosenDevice] = useState(readDevice);
  const [saveChoice, setSaveChoice] = useStoredState('studio.live.save', booleans, 'true');
  const [processingChoice, setProcessingChoice] = useStoredState(
    'studio.live.voiceProcessing',
    booleans,
    'false',
  );
  const [modelChoice, setModelChoice] = useState<string | null>(null);
  const [languageChoice, setLanguageChoice] = useState<string | null>(null);

  const ready = (models.data?.models ?? []).filter(
    (m) => m.kind === 'whisper' && m.status === 'ready',
  );
  const settingsModel = settings.data?.defaultModel;
  const defaultModel = ready.find((m) => m.id === settingsModel)?.id ?? ready[0]?.id ?? null;
  const choices = inputChoices(devices ?? []);
  // A remembered input that is not plugged in now falls back to the system default.
  const listedDevice = choices.some((c) => c.deviceId === chosenDevice) ? chosenDevice : '';
  const picked: LiveOptions = {
    deviceId: devices === null ? chosenDevice : listedDevice,
    voiceProcessing: processingChoice === 'true',
    model: modelChoice ?? defaultModel,
    language: languageChoice ?? settings.data?.defaultLanguage ?? 'auto',
    save: saveChoice === 'true',
  };
  // While a session runs the fields show what it runs with.
  const shown = active && running ? running : picked;
  const noModel = models.isSuccess && ready.length === 0;
  const canStart = phase === 'idle' && ready.length > 0 && !settings.isPending;

  const start = () => {
    if (canStart) void startLive(picked, queryClient);
  };
  const present = () => void presentCaptions().catch(toastError);

  useShortcut({
    id: 'live.toggle',
    keys: 'Mod+Enter',
    description: 'Start or stop live captions',
    scope: 'live',
    whileTyping: true,
    handler: () => (phase === 'idle' ? start() : stopLive()),
  });
  useShortcut({
    id: 'live.present',
    keys: 'p',
    description: 'Present captions in a big-caption window',
    scope: 'live',
    handler: present,
  });

  return (
    <section className="view live-view" aria-labelledby="live-title">
      <header className="view-header">
        <div>
          <h2 id="live-title">Live captions</h2>
          <p>
            Captions from a microphone as people speak. Stop saves the recording and its transcript.
          </p>
        </div>
        <SessionStatus />
      </header>

      {noModel && (
        <div className="hint live-first-run">
          <p>
            <strong>Install a speech model first.</strong> Live captions run a Whisper model on this
            machine, and none is installed yet.
          </p>
          <a
            href={routeToHash({ view: 'models' })}
            onClick={follow(() => navigate({ view: 'models' }))}
          >
            Go to Models
          </a>
        </div>
      )}
      {problem && <ProblemAlert problem={problem} />}

      <div className="card live-setup">
        <div className="live-fields">
          <div className="field">
            <label htmlFor="live-input">Microphone</label>
            <select
              id="live-input"
              value={shown.deviceId}
              disabled={active}
              aria-describedby={devices?.length === 0 ? 'live-input-none' : undefined}
              onChange={(event) => {
                writeStored(deviceKey, event.target.value);
                setChosenDevice(event.target.value);
              }}
            >
              {choices.map((choice) => (
                <option key={choice.deviceId} value={choice.deviceId}>
                  {choice.label}
                </option>
              ))}
            </select>
            {devices?.length === 0 && (
              <span id="live-input-none" className="field-hint">
                No microphone is connected (or this browser does not list them).
              </span>
            )}
          </div>
          <div className="field">
            <label htmlFor="live-model">Model</label>
            <select
              id="live-model"
              value={shown.model ?? ''}
              disabled={active || ready.length === 0}
              onChange={(event) => setModelChoice(event.target.value)}
            >
              {ready.length === 0 && <option value="">No model installed</option>}
              {ready.map((model) => (
                <option key={model.id} value={model.id}>
                  {model.name}
                  {model.id === settingsModel ? ' (default)' : ''}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="live-language">Language</label>
            <select
              id="live-language"
              value={shown.language}
              disabled={active}
              onChange={(event) => setLanguageChoice(event.target.value)}
            >
              {languageChoices(shown.language).map((code) => (
                <option key={code} value={code}>
                  {languageLabel(code)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="live-options">
          <label className="checkbox" htmlFor="live-save">
            <input
              id="live-save"
              type="checkbox"
              checked={shown.save}
              disabled={active}
              onChange={(event) => setSaveChoice(event.target.checked ? 'true' : 'false')}
            />
            Save the recording and its transcript to the library
          </label>
          <label className="checkbox" htmlFor="live-processing">
            <input
              id="live-processing"
              type="checkbox"
              checked={shown.voiceProcessing}
              disabled={active}
              aria-describedby="live-processing-hint"
              onChange={(event) => setProcessingChoice(event.target.checked ? 'true' : 'false')}
            />
            Clean up the sound
          </label>
          <span id="live-processing-hint" className="field-hint">
            Echo and noise suppression with automatic gain: for loudspeakers nearby or a noisy room.
            Off gives Whisper the microphone as it is.
          </span>
        </div>
      </div>

      <div className="live-controls">
        {phase === 'idle' ? (
          <button type="button" className="primary" disabled={!canStart} onClick={start}>
            Start
          </button>
        ) : (
          <button
            type="button"
            className="danger"
            disabled={phase === 'stopping'}
            onClick={stopLive}
          >
            Stop
          </button>
        )}
        <button type="button" onClick={present}>
          Present captions
        </button>
        <LevelMeter />
      </div>

      <CaptionLog />
    </section>
  );
}
