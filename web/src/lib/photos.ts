/** Uploads one photo of a post straight to the API from the browser; returns an error message or null. */
export async function uploadPhoto(postId: string, file: File, alt: string): Promise<string | null> {
  try {
    const res = await fetch(`/api/posts/${postId}/photos?alt=${encodeURIComponent(alt.trim())}`, {
      method: 'POST',
      headers: { 'content-type': file.type || 'application/octet-stream' },
      body: file,
    });
    if (res.ok) return null;
    const problem = (await res.json().catch(() => null)) as { detail?: string } | null;
    return problem?.detail ?? 'The photo could not be added.';
  } catch {
    return 'The photo could not be uploaded. Please try again.';
  }
}
