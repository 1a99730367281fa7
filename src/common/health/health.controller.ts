import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { AppError } from '../errors/app-error';
import { ApiErrors } from '../openapi/api-errors.decorator';

class HealthDto {
  @ApiProperty({ enum: ['ok'] })
  status: 'ok';
}

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @ApiOperation({ operationId: 'getHealth', summary: 'Ready when the database is reachable and migrated' })
  @ApiOkResponse({ type: HealthDto })
  @ApiErrors(503)
  async health(): Promise<HealthDto> {
    try {
      await this.dataSource.query('SELECT 1');
    } catch {
      throw new AppError('service_unavailable', 'The database is not reachable');
    }
    return { status: 'ok' };
  }
}
