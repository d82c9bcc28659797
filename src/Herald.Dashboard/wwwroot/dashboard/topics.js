// Topic patterns as Herald reads them (docs/protocol.md): '/'-separated segments, '+' one segment, '#' the rest.

/**
 * Splits a comma-separated pattern list and says what is wrong with it, as the server would.
 * @param {string} text such as "cameras/+,unifi/#"
 * @returns {{patterns: string[], error: string | null}}
 */
export function parsePatterns(text) {
  const patterns = text.split(",").map((p) => p.trim()).filter((p) => p !== "");
  if (patterns.length === 0) return { patterns, error: "Enter a topic pattern, such as # or cameras/+." };
  for (const pattern of patterns) {
    const error = patternError(pattern);
    if (error) return { patterns, error };
  }
  return { patterns: [...new Set(patterns)], error: null };
}

/** @param {string} pattern */
function patternError(pattern) {
  if (pattern.length > 256) return `Topic pattern '${pattern.slice(0, 20)}…' is longer than 256 characters.`;
  if (/\s/.test(pattern)) return `Topic pattern '${pattern}' contains a space.`;
  if (pattern === "#") return null;
  const segments = pattern.split("/");
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (segment === "") return `Topic pattern '${pattern}' has an empty segment.`;
    if (segment.length > 1 && /[+#]/.test(segment)) return `Topic pattern '${pattern}': '+' and '#' must stand alone in a segment.`;
    if (segment === "#" && i !== segments.length - 1) return `Topic pattern '${pattern}': '#' is allowed only as the last segment.`;
  }
  return null;
}
