import type { Db } from './database';

/** A voice in the library. */
export interface VoiceRecord {
  id: string;
  name: string;
  kind: string;
  print: number[];
  createdAt: string;
  /** Transcript speakers confirmed as this voice. */
  transcripts: number;
}

/** The voice print a transcript's speaker was measured with. */
export interface SpeakerPrint {
  transcriptId: string;
  speakerId: string;
  kind: string;
  print: number[];
  /** The library voice this speaker was confirmed as. */
  voiceId: string | null;
}

export interface VoicesRepo {
  insert(voice: Omit<VoiceRecord, 'transcripts'>): VoiceRecord;
  get(id: string): VoiceRecord | undefined;
  list(): VoiceRecord[];
  /** Voices holding prints of `kind`. */
  listOfKind(kind: string): VoiceRecord[];
  /** Deletes the voice (its print goes with it); false when there is none. */
  delete(id: string): boolean;
  /** Replaces a transcript's prints (a new diarization of it). */
  savePrints(transcriptId: string, prints: Omit<SpeakerPrint, 'transcriptId'>[]): void;
  prints(transcriptId: string): SpeakerPrint[];
  /** Links a transcript speaker to a voice (null unlinks); false when there is no such print. */
  link(transcriptId: string, speakerId: string, voiceId: string | null): boolean;
}

interface VoiceRow {
  id: string;
  name: string;
  kind: string;
  print: string;
  created_at: string;
  transcripts: number;
}

interface PrintRow {
  transcript_id: string;
  speaker_id: string;
  kind: string;
  print: string;
  voice_id: string | null;
}

const voiceFromRow = (r: VoiceRow): VoiceRecord => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  print: JSON.parse(r.print) as number[],
  createdAt: r.created_at,
  transcripts: r.transcripts,
});

const printFromRow = (r: PrintRow): SpeakerPrint => ({
  transcriptId: r.transcript_id,
  speakerId: r.speaker_id,
  kind: r.kind,
  print: JSON.parse(r.print) as number[],
  voiceId: r.voice_id,
});

const selectVoices = `
  SELECT v.*, (SELECT COUNT(*) FROM speaker_prints p WHERE p.voice_id = v.id) AS transcripts
  FROM voices v`;

export function createVoicesRepo(db: Db): VoicesRepo {
  const insertStmt = db.prepare<[string, string, string, string, string]>(
    'INSERT INTO voices (id, name, kind, print, created_at) VALUES (?, ?, ?, ?, ?)',
  );
  const getStmt = db.prepare<[string], VoiceRow>(`${selectVoices} WHERE v.id = ?`);
  const listStmt = db.prepare<[], VoiceRow>(`${selectVoices} ORDER BY v.name, v.id`);
  const kindStmt = db.prepare<[string], VoiceRow>(`${selectVoices} WHERE v.kind = ? ORDER BY v.id`);
  const deleteStmt = db.prepare<[string]>('DELETE FROM voices WHERE id = ?');
  const clearPrintsStmt = db.prepare<[string]>(
    'DELETE FROM speaker_prints WHERE transcript_id = ?',
  );
  const insertPrintStmt = db.prepare<[string, string, string, string, string | null]>(
    'INSERT INTO speaker_prints (transcript_id, speaker_id, kind, print, voice_id) VALUES (?, ?, ?, ?, ?)',
  );
  const printsStmt = db.prepare<[string], PrintRow>(
    'SELECT * FROM speaker_prints WHERE transcript_id = ? ORDER BY speaker_id',
  );
  const linkStmt = db.prepare<[string | null, string, string]>(
    'UPDATE speaker_prints SET voice_id = ? WHERE transcript_id = ? AND speaker_id = ?',
  );
  const savePrints = db.transaction(
    (transcriptId: string, prints: Omit<SpeakerPrint, 'transcriptId'>[]) => {
      clearPrintsStmt.run(transcriptId);
      for (const p of prints) {
        insertPrintStmt.run(transcriptId, p.speakerId, p.kind, JSON.stringify(p.print), p.voiceId);
      }
    },
  );

  return {
    insert(voice) {
      insertStmt.run(
        voice.id,
        voice.name,
        voice.kind,
        JSON.stringify(voice.print),
        voice.createdAt,
      );
      return { ...voice, transcripts: 0 };
    },
    get(id) {
      const row = getStmt.get(id);
      return row ? voiceFromRow(row) : undefined;
    },
    list: () => listStmt.all().map(voiceFromRow),
    listOfKind: (kind) => kindStmt.all(kind).map(voiceFromRow),
    delete: (id) => deleteStmt.run(id).changes > 0,
    savePrints: (transcriptId, prints) => savePrints(transcriptId, prints),
    prints: (transcriptId) => printsStmt.all(transcriptId).map(printFromRow),
    link: (transcriptId, speakerId, voiceId) =>
      linkStmt.run(voiceId, transcriptId, speakerId).changes > 0,
  };
}
