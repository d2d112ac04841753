// An absolute URL of a file the site serves (model packs, onnxruntime-web's runtime), from the
// build's base, so workers — which resolve relative URLs against their own script — fetch the
// same files the page would.
export function siteUrl(path: string): string {
  return new URL(`${import.meta.env.BASE_URL}${path}`, window.location.href).href;
}
