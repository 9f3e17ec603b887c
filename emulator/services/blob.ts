// A minimal Blob: bytes plus content type and name. Enough for Utilities.newBlob, HtmlOutput.getBlob and
// mail attachments.
type BlobApi = Pick<GoogleAppsScript.Base.Blob,
  'copyBlob' | 'getAs' | 'getBlob' | 'getBytes' | 'getContentType' | 'getDataAsString' | 'getName' | 'isGoogleType' |
  'setBytes' | 'setContentType' | 'setDataFromString' | 'setName'>;

/** Java bytes are signed: Apps Script byte arrays hold -128…127. */
export function toSignedBytes(buf: Uint8Array): number[] {
  return Array.from(buf, (b) => (b > 127 ? b - 256 : b));
}

export function fromSignedBytes(bytes: ArrayLike<number>): Buffer {
  return Buffer.from(Array.from(bytes as ArrayLike<number>, (b) => b & 0xff));
}

export class EmulatedBlob implements BlobApi {
  constructor(private data: Buffer, private contentType: string | null = null, private name: string | null = null) {}

  /** Harness: raw bytes without counting. */
  get buffer(): Buffer { return this.data; }

  copyBlob(): GoogleAppsScript.Base.Blob { return asBlob(new EmulatedBlob(Buffer.from(this.data), this.contentType, this.name)); }
  getAs(contentType: string): GoogleAppsScript.Base.Blob {
    if (contentType !== this.contentType) throw new Error(`Converting from ${this.contentType} to ${contentType} is not supported.`);
    return this.copyBlob();
  }
  getBlob(): GoogleAppsScript.Base.Blob { return asBlob(this); }
  getBytes(): number[] { return toSignedBytes(this.data); }
  getContentType(): string | null { return this.contentType; }
  getDataAsString(charset?: string): string {
    return this.data.toString(charset && /^(iso-8859-1|latin1)$/i.test(charset) ? 'latin1' : 'utf8');
  }
  getName(): string | null { return this.name; }
  isGoogleType(): boolean { return false; }
  setBytes(data: number[]): GoogleAppsScript.Base.Blob { this.data = fromSignedBytes(data); return asBlob(this); }
  setContentType(contentType: string | null): GoogleAppsScript.Base.Blob { this.contentType = contentType; return asBlob(this); }
  setDataFromString(s: string): GoogleAppsScript.Base.Blob { this.data = Buffer.from(s, 'utf8'); return asBlob(this); }
  setName(name: string): GoogleAppsScript.Base.Blob { this.name = name; return asBlob(this); }
}

export function asBlob(b: EmulatedBlob): GoogleAppsScript.Base.Blob {
  return b as unknown as GoogleAppsScript.Base.Blob;
}

/** Reads any BlobSource (ours or a look-alike) as name, type and bytes. */
export function readBlobSource(src: unknown): { name: string; contentType: string; data: Buffer } {
  const blob = (src as GoogleAppsScript.Base.BlobSource).getBlob();
  const data = blob instanceof EmulatedBlob ? blob.buffer : fromSignedBytes(blob.getBytes());
  return { name: blob.getName() ?? 'attachment', contentType: blob.getContentType() ?? 'application/octet-stream', data };
}
