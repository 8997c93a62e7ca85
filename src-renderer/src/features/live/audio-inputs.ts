import { useEffect, useState } from 'react';

export interface InputChoice {
  /** '' for the system default. */
  deviceId: string;
  label: string;
}

/**
 * The microphones to offer: the system default first, then each input once. Browsers list the
 * default again under the id `default` (and Windows a `communications` one), and hide the names
 * until the page may use the microphone.
 */
export function inputChoices(devices: readonly Pick<MediaDeviceInfo, 'deviceId' | 'label'>[]) {
  const choices: InputChoice[] = [{ deviceId: '', label: 'System default' }];
  let unnamed = 0;
  for (const device of devices) {
    if (['', 'default', 'communications'].includes(device.deviceId)) continue;
    choices.push({ deviceId: device.deviceId, label: device.label || `Microphone ${++unnamed}` });
  }
  return choices;
}

/**
 * The audio inputs (null until listed; [] when the browser lists none or cannot list them),
 * refreshed when devices come and go and whenever `refreshKey` changes (names appear once the
 * microphone was allowed).
 */
export function useAudioInputs(refreshKey: unknown): MediaDeviceInfo[] | null {
  const [devices, setDevices] = useState<MediaDeviceInfo[] | null>(null);
  const mediaDevices = typeof navigator === 'undefined' ? undefined : navigator.mediaDevices;
  const listable = typeof mediaDevices?.enumerateDevices === 'function';
  useEffect(() => {
    if (!mediaDevices || !listable) return;
    let current = true;
    const refresh = () => {
      mediaDevices.enumerateDevices().then(
        (list) => current && setDevices(list.filter((d) => d.kind === 'audioinput')),
        () => current && setDevices([]),
      );
    };
    refresh();
    mediaDevices.addEventListener('devicechange', refresh);
    return () => {
      current = false;
      mediaDevices.removeEventListener('devicechange', refresh);
    };
  }, [mediaDevices, listable, refreshKey]);
  return listable ? devices : [];
}
