/**
 * Infinite scroll: calls `onnear` each time `sentinel` (the end of a list) comes within `rootMargin`
 * of the viewport. Returns the cleanup, so an `$effect` can return it.
 */
export function whenNear(sentinel: Element, rootMargin: string, onnear: () => void): () => void {
  const observer = new IntersectionObserver(
    (entries) => {
      if (entries.some((e) => e.isIntersecting)) onnear();
    },
    { rootMargin },
  );
  observer.observe(sentinel);
  return () => observer.disconnect();
}
