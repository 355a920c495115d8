import {
  Alert,
  createTheme,
  darken,
  DEFAULT_THEME,
  defaultCssVariablesResolver,
  Drawer,
  luminance,
  Modal,
  Notification,
  PasswordInput,
  Progress,
  type CSSVariablesResolver,
  type MantineColorsTuple,
  type MantineTheme,
} from '@mantine/core';

// The one place the console's colours are decided, so every screen meets WCAG 2.1 AA (1.4.3: 4.5:1 for
// text) without a component picking its own shade. Mantine's stock palette fails it: white on blue-6 is
// 3.6:1, green-9 on green-1 (a light badge) 3.8:1, the "dimmed" grey 3.3:1 on white.

/** WCAG contrast ratio of two opaque colours. */
export function contrast(a: string, b: string): number {
  const x = luminance(a);
  const y = luminance(b);
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}

/** Darkens a colour in small steps until it reaches `ratio` against every background. */
export function darkenUntil(colour: string, backgrounds: string[], ratio: number): string {
  let c = colour;
  for (let step = 0; step < 100 && backgrounds.some((bg) => contrast(c, bg) < ratio); step++) c = darken(c, 0.03);
  return c;
}

// A margin over 4.5 so rounding in a browser's colour pipeline never tips a pair under the line.
const AA = 4.6;
const WHITE = '#ffffff';
const gray = DEFAULT_THEME.colors.gray;

/**
 * Each colour keeps its light shades (backgrounds); shade 8 is what filled elements, outlines and
 * coloured text use (primaryShade), made dark enough for white text and to stand as text on white or a
 * striped row (gray-0/gray-1); shade 9 is the text on the colour's own light background (light badges,
 * alerts, subtle buttons: shade 1).
 */
function accessible(tuple: MantineColorsTuple): MantineColorsTuple {
  const t: string[] = [...tuple];
  t[8] = darkenUntil(tuple[8], [WHITE, gray[0], gray[1]], AA);
  t[9] = darkenUntil(tuple[9], [WHITE, gray[1], tuple[0], tuple[1], tuple[2]], AA);
  return t as unknown as MantineColorsTuple;
}

export const colors = Object.fromEntries(Object.entries(DEFAULT_THEME.colors).map(([name, tuple]) => [name, accessible(tuple)])) as Record<string, MantineColorsTuple>;

/** Secondary text: readable on white, on striped rows and on every colour's light background. */
export const dimmed = darkenUntil(gray[6], [WHITE, gray[0], gray[1], ...Object.values(colors).map((c) => c[1])], AA);

/** The theme, with the close buttons and other icon-only controls named in the operator's language. */
export function buildTheme(labels: { close: string; progress: string; togglePassword: string }): MantineTheme {
  return createTheme({
    colors,
    primaryColor: 'blue',
    primaryShade: { light: 8, dark: 8 },
    // Text on a filled colour is white or black, whichever contrasts more (the crossing point is 0.179).
    autoContrast: true,
    luminanceThreshold: 0.179,
    defaultRadius: 'sm',
    // Mantine's ring on keyboard focus (:focus-visible); app/a11y.css gives plain elements (rows, links) the same.
    focusRing: 'auto',
    components: {
      // A dialog's <header> is not the page's banner: without role="none" it is a second banner landmark
      // beside the app's own (axe: landmark-no-duplicate-banner, landmark-unique). The dialog keeps its name.
      Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': labels.close }, attributes: { header: { role: 'none' } } } }),
      Drawer: Drawer.extend({ defaultProps: { closeButtonProps: { 'aria-label': labels.close }, attributes: { header: { role: 'none' } } } }),
      Alert: Alert.extend({ defaultProps: { closeButtonLabel: labels.close } }),
      Notification: Notification.extend({ defaultProps: { closeButtonProps: { 'aria-label': labels.close } } }),
      Progress: Progress.extend({ defaultProps: { 'aria-label': labels.progress } }),
      PasswordInput: PasswordInput.extend({ defaultProps: { visibilityToggleButtonProps: { 'aria-label': labels.togglePassword } } }),
    },
  }) as MantineTheme;
}

/** The CSS variables Mantine derives from the palette, with dimmed, placeholder and error text made readable. */
export const cssVariablesResolver: CSSVariablesResolver = (theme) => {
  const base = defaultCssVariablesResolver(theme);
  return {
    ...base,
    light: {
      ...base.light,
      '--mantine-color-dimmed': dimmed,
      '--mantine-color-placeholder': dimmed,
      '--mantine-color-error': 'var(--mantine-color-red-8)',
      '--mantine-color-anchor': 'var(--mantine-color-blue-8)',
    },
  };
};
