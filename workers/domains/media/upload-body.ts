import { createMiddleware } from 'hono/factory';
import { AppError } from '../../shared/errors';
import type { AppEnv } from '../../shared/http';
import { essenceOf, MAX_MEDIA_BYTES, mediaTooLarge } from './media.service';

// Room for the multipart boundaries and part headers around a file of the maximum size.
const MULTIPART_OVERHEAD = 64 * 1024;

const isMultipart = (contentType: string | undefined) => essenceOf(contentType) === 'multipart/form-data';
const bodyCap = (contentType: string | undefined, maxBytes = MAX_MEDIA_BYTES) =>
  maxBytes + (isMultipart(contentType) ? MULTIPART_OVERHEAD : 0);

/** Refuses a declared oversized body before a byte of it is read (the stream cap below covers chunked bodies). */
export const rejectDeclaredOversize = rejectDeclaredOver(MAX_MEDIA_BYTES);

/** rejectDeclaredOversize for another cap (videos). */
export function rejectDeclaredOver(maxBytes: number) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const length = Number(c.req.header('content-length'));
    if (Number.isFinite(length) && length > bodyCap(c.req.header('content-type'), maxBytes))
      throw maxBytes === MAX_MEDIA_BYTES
        ? mediaTooLarge()
        : new AppError('media.too_large', 413, `uploads here may be at most ${maxBytes / 1024 / 1024} MiB`, { maxBytes });
    await next();
  });
}

/** Reads a request body, giving up as soon as it passes `cap` bytes so memory stays bounded. */
export async function readCapped(req: Request, cap: number): Promise<Uint8Array> {
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > cap) {
      await reader.cancel().catch(() => {});
      throw mediaTooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const ch of chunks) {
    out.set(ch, at);
    at += ch.byteLength;
  }
  return out;
}

const missingFile = () =>
  new AppError('validation.failed', 400, 'form: file — a file part named "file" is required', {
    in: 'form',
    issues: [{ path: 'file', message: 'a file part named "file" is required', code: 'invalid_type' }],
  });

/** The uploaded bytes and their declared type, from a raw image body or a multipart `file` part. */
export async function readUpload(req: Request, maxBytes = MAX_MEDIA_BYTES): Promise<{ bytes: Uint8Array; contentType: string }> {
  const contentType = req.headers.get('content-type') ?? '';
  const body = await readCapped(req, bodyCap(contentType, maxBytes));
  if (!isMultipart(contentType)) return { bytes: body, contentType };
  let form: FormData;
  try {
    // Parsing from the capped buffer (not c.req.parseBody on the stream) keeps the size limit in force.
    form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw new AppError('validation.malformed', 400, 'the multipart body could not be parsed');
  }
  // workers-types still types get() as string; since formdata_parser_supports_files (2021) file parts are File.
  const file = form.get('file') as File | string | null;
  if (file === null || typeof file === 'string') throw missingFile();
  return { bytes: new Uint8Array(await file.arrayBuffer()), contentType: file.type };
}
