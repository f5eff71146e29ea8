// Okabe–Ito's colour-blind-safe set (its yellow swapped for a purple that reads on white), in
// the order a legend gives them, so the first cells chosen are the easiest to tell apart.
export const CHART_COLORS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#7B3294', '#444444'] as const

export const colorAt = (i: number): string => CHART_COLORS[i % CHART_COLORS.length] as string
