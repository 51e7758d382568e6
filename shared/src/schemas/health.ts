import Type from 'typebox'

export const HealthResponse = Type.Object(
  {
    status: Type.Literal('ok'),
    version: Type.String({ description: 'server package version' }),
    uptimeS: Type.Number({ description: 'seconds since the process started', minimum: 0 }),
  },
  { $id: 'HealthResponse' },
)
export type HealthResponse = Type.Static<typeof HealthResponse>

export const ErrorResponse = Type.Object(
  {
    error: Type.String({ description: 'short machine-readable kind, e.g. "Bad Request"' }),
    message: Type.String({ description: 'what is wrong, naming the field or header' }),
  },
  { $id: 'ErrorResponse' },
)
export type ErrorResponse = Type.Static<typeof ErrorResponse>
