import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import WaveSurfer from 'wavesurfer.js';
import RegionsPlugin from 'wavesurfer.js/dist/plugins/regions.esm.js';
import { toastError } from '../../app/toasts';
import { CaptionPreview } from './CaptionPreview';
import { locateWord, retimeWord } from './doc-ops';
import { applyEdit } from './edit-actions';
import { useDoc, useEditor } from './editor-context';
import { useEditorUi } from './editor-ui';
import { formatTime } from './format-time';
import { mediaQuery, peaksQuery, streamUrlQuery } from './queries';

const speeds = [0.5, 0.75, 1, 1.25, 1.5, 2];
const zooms = [
  { label: 'Whole file', pxPerSec: 0 },
  { label: '50 px/s', pxPerSec: 50 },
  { label: '100 px/s', pxPerSec: 100 },
  { label: '200 px/s', pxPerSec: 200 },
];

/** The colours of the waveform, from the page's theme. */
const themeColour = (name: string, fallback: string) =>
  getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;

/**
 * The media: video (when it has a picture) or hidden audio, played from a signed URL; the
 * engine's precomputed peaks as a wavesurfer.js waveform; the selected word as a region whose
 * edges retime it; transport controls; the caption on screen over the picture or waveform.
 */
export function MediaPane() {
  const { mediaId, player, store } = useEditor();
  const media = useQuery(mediaQuery(mediaId));
  const peaks = useQuery(peaksQuery(mediaId));
  const src = useQuery(streamUrlQuery(mediaId));
  const hasVideo = media.data?.hasVideo ?? false;
  const mediaRef = useRef<HTMLMediaElement | null>(null);
  const waveRef = useRef<HTMLDivElement>(null);
  const [wave, setWave] = useState<{ ws: WaveSurfer; regions: RegionsPlugin } | null>(null);
  const [rate, setRate] = useState(1);
  const [zoom, setZoom] = useState(100);
  const playing = useEditorUi((s) => s.playing);
  const follow = useEditorUi((s) => s.follow);

  // Follow the media element: the playhead in the UI store, at frame rate while playing.
  useEffect(() => {
    const element = mediaRef.current;
    if (!element) return;
    const detach = player.attach(element);
    let frame = 0;
    const update = () => player.publish(Math.round(element.currentTime * 1000));
    const loop = () => {
      update();
      frame = requestAnimationFrame(loop);
    };
    const onPlay = () => {
      useEditorUi.getState().setPlaying(true);
      cancelAnimationFrame(frame);
      loop();
    };
    const onPause = () => {
      useEditorUi.getState().setPlaying(false);
      cancelAnimationFrame(frame);
      update();
    };
    const onError = () => toastError(new Error('The media could not be played.'));
    // Seek to where the editor was opened (e.g. a search hit) once the media can seek.
    const onLoaded = () => {
      const at = useEditorUi.getState().currentMs;
      if (at > 0) element.currentTime = at / 1000;
    };
    element.addEventListener('play', onPlay);
    element.addEventListener('pause', onPause);
    element.addEventListener('ended', onPause);
    element.addEventListener('seeked', update);
    element.addEventListener('error', onError);
    element.addEventListener('loadedmetadata', onLoaded);
    return () => {
      cancelAnimationFrame(frame);
      element.removeEventListener('play', onPlay);
      element.removeEventListener('pause', onPause);
      element.removeEventListener('ended', onPause);
      element.removeEventListener('seeked', update);
      element.removeEventListener('error', onError);
      element.removeEventListener('loadedmetadata', onLoaded);
      detach();
    };
  }, [player, src.data, hasVideo]);

  // The waveform, drawn from the engine's peaks (no decoding in the browser).
  useEffect(() => {
    const container = waveRef.current;
    const element = mediaRef.current;
    if (!container || !element || !peaks.data) return;
    const regions = RegionsPlugin.create();
    const ws = WaveSurfer.create({
      container,
      media: element,
      peaks: [peaks.data.peaks],
      duration: peaks.data.durationSec,
      height: 96,
      normalize: true,
      minPxPerSec: 100,
      autoScroll: true,
      autoCenter: true,
      dragToSeek: true,
      waveColor: themeColour('--wave', '#9aa1ad'),
      progressColor: themeColour('--accent', '#2f6fde'),
      cursorColor: themeColour('--fg', '#1b1d22'),
      plugins: [regions],
    });
    // The waveform scrolls when zoomed in: a tab stop, so the arrow keys can scroll it too.
    const scroller = ws.getWrapper().parentElement;
    scroller?.setAttribute('tabindex', '0');
    scroller?.setAttribute('role', 'group');
    scroller?.setAttribute('aria-label', 'Waveform, scrollable with the arrow keys');
    regions.on('region-updated', (region) => {
      applyEdit(store, 'Retime word', (doc) =>
        retimeWord(doc, region.id, region.start * 1000, region.end * 1000),
      );
    });
    setWave({ ws, regions });
    return () => {
      setWave(null);
      ws.destroy();
    };
  }, [peaks.data, store, src.data, hasVideo]);

  // wavesurfer.js loads even given peaks asynchronously and refuses a zoom until then (a reopened
  // editor, with everything cached, gets here first).
  useEffect(() => {
    if (!wave) return;
    const apply = () => wave.ws.zoom(zoom);
    if (wave.ws.getDecodedData()) apply();
    else return wave.ws.once('decode', apply);
  }, [wave, zoom]);
  useEffect(() => {
    if (mediaRef.current) mediaRef.current.playbackRate = rate;
  }, [rate, src.data]);

  // The selected word as a draggable region: drag its edges to retime it.
  const selectedWordId = useEditorUi((s) => s.selectedWordId);
  const doc = useDoc((s) => s.doc);
  useEffect(() => {
    if (!wave) return;
    wave.regions.clearRegions();
    if (!selectedWordId) return;
    let word;
    try {
      const place = locateWord(doc, selectedWordId);
      word = doc.segments[place.s]!.lines[place.l]!.words[place.w]!;
    } catch {
      return;
    }
    wave.regions.addRegion({
      id: word.id,
      start: word.start / 1000,
      end: word.end / 1000,
      content: word.text,
      color: 'color-mix(in srgb, var(--accent) 25%, transparent)',
      drag: true,
      resize: true,
    });
  }, [wave, selectedWordId, doc]);

  const durationMs = Math.round((peaks.data?.durationSec ?? media.data?.durationSec ?? 0) * 1000);
  const mediaElement = hasVideo ? (
    <video
      ref={(el) => {
        mediaRef.current = el;
      }}
      className="editor-video"
      src={src.data}
      preload="auto"
      aria-label="Video"
    />
  ) : (
    <audio
      ref={(el) => {
        mediaRef.current = el;
      }}
      src={src.data}
      preload="auto"
    />
  );

  return (
    <div className="media-pane">
      {hasVideo && (
        <div className="video-wrap">
          {mediaElement}
          <CaptionPreview />
        </div>
      )}
      {!hasVideo && mediaElement}
      <div className="waveform-wrap">
        <div
          ref={waveRef}
          className="waveform"
          aria-label="Waveform: click to seek, drag the selected word’s edges to retime it"
          role="group"
        />
        {peaks.isPending && <p className="waveform-note">Loading the waveform…</p>}
        {peaks.isError && (
          <p className="waveform-note">The waveform is not available: {peaks.error.message}</p>
        )}
        {!hasVideo && <CaptionPreview />}
      </div>
      <div className="transport" role="toolbar" aria-label="Playback">
        <button
          type="button"
          className="button primary"
          onClick={() => player.toggle()}
          disabled={!src.data}
          aria-label={playing ? 'Pause (Space)' : 'Play (Space)'}
        >
          {playing ? '❚❚ Pause' : '▶ Play'}
        </button>
        <PlayheadTime durationMs={durationMs} />
        <label>
          Speed{' '}
          <select value={rate} onChange={(event) => setRate(Number(event.target.value))}>
            {speeds.map((s) => (
              <option key={s} value={s}>
                {s}×
              </option>
            ))}
          </select>
        </label>
        <label>
          Zoom{' '}
          <select value={zoom} onChange={(event) => setZoom(Number(event.target.value))}>
            {zooms.map((z) => (
              <option key={z.pxPerSec} value={z.pxPerSec}>
                {z.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          <input
            type="checkbox"
            checked={follow}
            onChange={(event) => useEditorUi.getState().set({ follow: event.target.checked })}
          />{' '}
          Follow the playhead
        </label>
        {src.isError && (
          <span className="bad">The media cannot be played: {src.error.message}</span>
        )}
      </div>
    </div>
  );
}

function PlayheadTime({ durationMs }: { durationMs: number }) {
  const currentMs = useEditorUi((s) => Math.floor(s.currentMs / 100) * 100);
  return (
    <span className="playhead-time" aria-label="Playhead">
      {formatTime(currentMs)} / {formatTime(durationMs)}
    </span>
  );
}
