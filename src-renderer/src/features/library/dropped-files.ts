const mediaExtensions = new Set(
  (
    'wav mp3 m4a aac flac ogg oga opus wma aif aiff caf amr weba ' +
    'mp4 m4v mov mkv webm avi wmv flv mpg mpeg ts mts m2ts 3gp'
  ).split(' '),
);

/** Whether a file name looks like audio or video (used to pick the media out of a folder). */
export function isMediaFileName(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot > 0 && mediaExtensions.has(name.slice(dot + 1).toLowerCase());
}

const fileOf = (entry: FileSystemFileEntry) =>
  new Promise<File>((resolve, reject) => entry.file(resolve, reject));

/** Every entry of a folder (readEntries answers in batches until an empty one). */
async function entriesOf(folder: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = folder.createReader();
  const all: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
      reader.readEntries(resolve, reject),
    );
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

/** The media files below a folder, walked depth first. */
async function mediaIn(folder: FileSystemDirectoryEntry): Promise<File[]> {
  const files: File[] = [];
  for (const entry of await entriesOf(folder)) {
    if (entry.isDirectory) files.push(...(await mediaIn(entry as FileSystemDirectoryEntry)));
    else if (entry.isFile && isMediaFileName(entry.name)) {
      files.push(await fileOf(entry as FileSystemFileEntry));
    }
  }
  return files;
}

/**
 * The files a drop carries: dropped files as they are (the engine says why one is not media),
 * dropped folders walked for their audio and video files. Call it inside the drop handler: the
 * browser empties the DataTransfer once the event is over, so the entries are taken at once.
 */
export async function filesFromDrop(transfer: DataTransfer): Promise<File[]> {
  const entries = [...transfer.items]
    .filter((item) => item.kind === 'file')
    .map((item) => ({ entry: item.webkitGetAsEntry(), file: item.getAsFile() }));
  if (entries.every(({ entry }) => entry === null)) return [...transfer.files];
  const files: File[] = [];
  for (const { entry, file } of entries) {
    if (entry?.isDirectory) files.push(...(await mediaIn(entry as FileSystemDirectoryEntry)));
    else if (file) files.push(file);
  }
  return files;
}
