import { describe, expect, it } from 'vitest';
import { closedProblem, microphoneProblem, serverProblem } from './problems';

const domError = (name: string) => new DOMException('Permission denied', name);
const browser = { electron: false, chosenDevice: false };

describe('microphoneProblem', () => {
  it('says how to allow a blocked microphone, in the browser and in the app', () => {
    const inBrowser = microphoneProblem(domError('NotAllowedError'), browser);
    expect(inBrowser.title).toBe('The microphone is blocked');
    expect(inBrowser.message).toMatch(/address bar.*Allow/);
    const inApp = microphoneProblem(domError('NotAllowedError'), { ...browser, electron: true });
    expect(inApp.message).toMatch(/Privacy & Security › Microphone/);
  });

  it('tells a missing microphone from an unplugged chosen one', () => {
    expect(microphoneProblem(domError('NotFoundError'), browser).title).toBe('No microphone found');
    expect(
      microphoneProblem(domError('OverconstrainedError'), { ...browser, chosenDevice: true }).title,
    ).toBe('The chosen microphone is not available');
  });

  it('reports a busy device', () => {
    expect(microphoneProblem(domError('NotReadableError'), browser).title).toBe(
      'The microphone is busy',
    );
  });

  it('passes other failures on with their own message', () => {
    const problem = microphoneProblem(new Error('AudioWorklet failed'), browser);
    expect(problem.title).toBe('The microphone could not be opened');
    expect(problem.message).toMatch(/^AudioWorklet failed\. Check the input/);
  });
});

describe('serverProblem', () => {
  it("keeps the engine's message and names the kind of problem", () => {
    const problem = serverProblem('QUEUE_FULL', 'Too many live sessions (2) are running.');
    expect(problem).toEqual({
      title: 'Too many live sessions',
      message: 'Too many live sessions (2) are running.',
    });
  });

  it('points model problems at the Models section', () => {
    expect(serverProblem('MODEL_NOT_READY', 'No Whisper model is installed.').fix).toBe('models');
  });

  it('names an unknown code', () => {
    expect(serverProblem('SOMETHING_NEW', 'x').title).toContain('SOMETHING_NEW');
  });
});

describe('closedProblem', () => {
  it('says the captions so far stay, with the close code', () => {
    const problem = closedProblem(1006, '', true);
    expect(problem.title).toBe('The connection to the engine was lost');
    expect(problem.message).toContain('code 1006');
    expect(problem.message).toContain('not saved');
  });

  it('tells a refused connection apart', () => {
    expect(closedProblem(1006, '', false).title).toBe('Could not connect to live captions');
    expect(closedProblem(1013, 'Busy', false).message).toContain('code 1013: Busy');
  });
});
