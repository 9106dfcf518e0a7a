/** 電子証明書取得 (the enrollment listener), as the gateway tells the page in a meta tag (it knows its public URLs). */
export function enrollmentUrl(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="cibg-enroll-url"]')?.content || '（当金庫からご案内する電子証明書取得ページ）';
}
