export function buildBundle(): Promise<{ exports: string[]; bytes: number }>;
