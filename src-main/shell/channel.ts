/** The single IPC channel between the preload and main. */
export const IPC_CHANNEL = 'lia:invoke';
