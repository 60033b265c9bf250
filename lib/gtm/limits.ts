export const MAX_ID_LENGTH = 64;
