// The one HTTP transport for both builds: Taro.request is wx.request in the mini-program and fetch
// on H5. Text in, text out: the client parses JSON itself, so empty and error bodies behave the
// same on both platforms.
import Taro from '@tarojs/taro';
import type { HttpRequest, HttpResponse, UploadRequest } from '@edgemall/client/operation-client';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS' | 'HEAD';

export async function send(req: HttpRequest): Promise<HttpResponse> {
  const res = await Taro.request({
    url: req.url,
    method: req.method as Method,
    header: req.headers,
    data: req.body,
    dataType: 'text',
    responseType: 'text',
    timeout: 20_000,
  });
  return { status: res.statusCode, text: typeof res.data === 'string' ? res.data : JSON.stringify(res.data ?? '') };
}

export async function sendFile(req: UploadRequest): Promise<HttpResponse> {
  // withCredentials: H5 would send cookies by default; the API takes bearer tokens and its CORS allows no credentials.
  const res = await Taro.uploadFile({
    url: req.url,
    filePath: req.filePath,
    name: req.name,
    header: req.headers,
    timeout: 60_000,
    withCredentials: false,
  });
  return { status: res.statusCode, text: typeof res.data === 'string' ? res.data : JSON.stringify(res.data ?? '') };
}
