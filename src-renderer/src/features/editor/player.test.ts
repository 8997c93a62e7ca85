import { afterEach, describe, expect, it } from 'vitest';
import { useEditorUi } from './editor-ui';
import { createPlayer } from './player';

/** The parts of a media element the player uses, playing only when told. */
function fakeMedia() {
  return {
    currentTime: 0,
    paused: true,
    plays: 0,
    play() {
      this.paused = false;
      this.plays++;
      return Promise.resolve();
    },
    pause() {
      this.paused = true;
    },
  };
}

function setup() {
  const player = createPlayer();
  const media = fakeMedia();
  player.attach(media as unknown as HTMLMediaElement);
  /** What the media pane does each frame while playing. */
  const frame = (ms: number) => {
    media.currentTime = ms / 1000;
    player.publish(ms);
  };
  return { player, media, frame };
}

afterEach(() => useEditorUi.getState().reset());

describe('playing a clip', () => {
  it('starts at the clip and pauses on its end, even when a frame ran past it', () => {
    const { player, media, frame } = setup();
    player.playClip(2000, 4500);
    expect(media.currentTime).toBe(2);
    expect(media.paused).toBe(false);
    frame(3000);
    expect(media.paused).toBe(false);
    frame(4516);
    expect(media.paused).toBe(true);
    expect(media.currentTime).toBe(4.5);
    // The stop is spent: playing on from there is not stopped again.
    media.play();
    frame(4600);
    expect(media.paused).toBe(false);
  });

  it('lets play/pause or a seek during the clip cancel the stop', () => {
    const { player, media, frame } = setup();
    player.playClip(0, 1000);
    player.toggle();
    player.toggle();
    frame(1200);
    expect(media.paused).toBe(false);

    player.playClip(0, 1000);
    player.seek(500);
    frame(1200);
    expect(media.paused).toBe(false);
  });

  it('forgets the stop when the playhead is moved away from the clip', () => {
    const { player, media, frame } = setup();
    player.playClip(5000, 6000);
    frame(20_000);
    frame(5500);
    frame(6100);
    expect(media.paused).toBe(false);
    expect(media.plays).toBe(1);
  });
});
